using LightNvr.Config;
using System.Text;

namespace LightNvr.Streams;

/// <summary>
/// Turns a valid camera (see <see cref="CameraRules"/>) into go2rtc source strings, and sources into
/// the <c>PUT /api/streams</c> query. Pure. Escaping happens exactly twice, each for its own parser:
/// credentials are percent-encoded into the URL's userinfo (go2rtc's <c>url.Parse</c> decodes them),
/// then the whole source is percent-encoded once more as a query value (go2rtc's <c>url.Query</c>).
/// </summary>
public static class SourceBuilder
{
    /// <summary>What <see cref="Sources"/> puts in place of credentials in a view for people.</summary>
    public const string Masked = "***";

    /// <summary>
    /// The sources of the camera's main stream, in go2rtc's order of preference: the camera itself,
    /// then a loopback ffmpeg transcode per requested video and audio target. The ffmpeg helpers read
    /// the go2rtc stream by name, never the camera URL: many cameras refuse or drop a second session.
    /// </summary>
    public static IReadOnlyList<string> Sources(Camera c, bool redact = false)
    {
        var primary = Primary(c, redact);
        if (SourceUrl.IsFfmpeg(c.Url)) return [primary]; // video/audio/hardware are already on it
        var sources = new List<string> { primary };
        if (c.Video is not null) sources.Add($"ffmpeg:{c.Name}" + FfmpegVideo(c));
        if (c.Audio is not null) sources.Add($"ffmpeg:{c.Name}" + FfmpegAudio(c));
        return sources;
    }

    /// <summary>The camera source with credentials and parameters.</summary>
    public static string Primary(Camera c, bool redact = false)
    {
        var url = WithCredentials(c.Url, c.Username, c.Password, redact);
        if (SourceUrl.IsFfmpeg(c.Url)) return url + FfmpegVideo(c) + FfmpegAudio(c);
        if (!SourceUrl.IsRtsp(c.Url)) return url; // other schemes would read a # fragment as part of their URL
        var parameters = RtspCommon(c);
        if (c.Media is not null) parameters.Add($"media={c.Media}");
        // go2rtc turns backchannel off as soon as any # parameter is present, unless backchannel=1 is
        // given; say what the camera wants explicitly. Null leaves go2rtc's default.
        if (c.Backchannel is { } back) parameters.Add(back ? "backchannel=1" : "backchannel=0");
        return url + Fragment(parameters);
    }

    /// <summary>The <c>&lt;name&gt;_sub</c> source: same credentials and transport, video only, no backchannel; null without sub_url.</summary>
    public static string? SubSource(Camera c, bool redact = false)
    {
        if (c.SubUrl is null) return null;
        var url = SourceUrl.TakesCredentials(c.SubUrl) ? WithCredentials(c.SubUrl, c.Username, c.Password, redact) : c.SubUrl;
        if (!SourceUrl.IsRtsp(c.SubUrl)) return url;
        var parameters = RtspCommon(c);
        parameters.Add("media=video");
        parameters.Add("backchannel=0");
        return url + Fragment(parameters);
    }

    public static string SubName(string name) => name + "_sub";

    private static List<string> RtspCommon(Camera c)
    {
        var parameters = new List<string>();
        if (c.Transport is not null) parameters.Add($"transport={c.Transport}");
        // CameraRules refuses a short timeout with UDP (it would drop the idle control connection before the
        // keepalive); this guard keeps the builder safe on its own.
        if (c.Timeout is { } t && (c.Transport != "udp" || t >= CameraRules.MinUdpTimeoutSeconds)) parameters.Add($"timeout={t}");
        return parameters;
    }

    private static string FfmpegVideo(Camera c)
    {
        if (c.Video is null) return "";
        var text = string.Concat(c.Video.Split(',').Select(v => "#video=" + v));
        return c.Hardware switch
        {
            null or "false" => text,
            "true" => text + "#hardware",
            var engine => text + "#hardware=" + engine,
        };
    }

    private static string FfmpegAudio(Camera c) =>
        c.Audio is null ? "" : string.Concat(c.Audio.Split(',').Select(a => "#audio=" + a));

    private static string Fragment(List<string> parameters) =>
        parameters.Count == 0 ? "" : "#" + string.Join("#", parameters);

    /// <summary>
    /// Puts <c>user[:password]@</c> into the URL's authority (for <c>ffmpeg:</c>, into its input URL),
    /// percent-encoding both. Without a username the URL is returned unchanged.
    /// </summary>
    public static string WithCredentials(string url, string? username, string? password, bool redact = false)
    {
        if (string.IsNullOrEmpty(username)) return url;
        if (SourceUrl.IsFfmpeg(url)) return "ffmpeg:" + WithCredentials(SourceUrl.FfmpegInput(url), username, password, redact);
        if (SourceUrl.SplitAuthority(url) is not { } parts) return url;
        var userinfo = redact ? Masked
            : EncodeUserInfo(username) + (string.IsNullOrEmpty(password) ? "" : ":" + EncodeUserInfo(password));
        return parts.Prefix + userinfo + "@" + parts.Authority + parts.Tail;
    }

    /// <summary>
    /// Percent-encodes a user name or password for a URL's userinfo: every UTF-8 byte outside RFC 3986
    /// unreserved characters (<c>A-Z a-z 0-9 - . _ ~</c>) becomes <c>%XX</c>, so <c>@ # : / ? %</c> and
    /// spaces can never end the userinfo early.
    /// </summary>
    public static string EncodeUserInfo(string value)
    {
        var builder = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>
    /// The query string for <c>PUT /api/streams</c>: <c>name=…&amp;src=…&amp;src=…</c>, each value
    /// percent-encoded exactly once (so <c>%40</c> in a userinfo travels as <c>%2540</c>).
    /// </summary>
    public static string QueryFor(string name, IEnumerable<string> sources) =>
        "name=" + Uri.EscapeDataString(name) + string.Concat(sources.Select(s => "&src=" + Uri.EscapeDataString(s)));
}
