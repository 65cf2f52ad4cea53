using System.Globalization;
using System.Text;
using LightNvr.Config;
using YamlDotNet.Core;

namespace LightNvr.Streams;

/// <summary>
/// The meaning checks for streams.yaml. Pure: cameras in, errors out; the marks only say where in the
/// file each field was written. Every error names the field (<c>cameras[2].url</c>) and the reason,
/// and never repeats a URL or a credential (a URL can hold a password).
/// </summary>
public static class CameraRules
{
    public static readonly string[] Medias = ["video", "audio", "video,audio"];
    public static readonly string[] Transports = ["tcp", "udp"];
    public static readonly string[] VideoCodecs = ["h264", "h265", "mjpeg", "copy"];
    public static readonly string[] AudioCodecs = ["aac", "opus", "pcma", "pcmu", "pcm", "mp3", "copy"];
    public static readonly string[] HardwareEngines = ["true", "false", "vaapi", "v4l2m2m", "cuda", "rkmpp", "dxva2", "videotoolbox"];

    /// <summary>With UDP the RTSP control connection is idle until the ~55 s keepalive: a shorter timeout reconnects the camera every time.</summary>
    public const int MinUdpTimeoutSeconds = 60;

    public const int MaxTimeoutSeconds = 3600;

    /// <summary>Field bounds: a camera is written into streams.yaml and go2rtc's config, so no field may be huge.</summary>
    public const int MaxUsernameLength = 256;
    public const int MaxPasswordLength = 1024;
    public const int MaxLabels = 64;
    public const int MaxLabelLength = 64;
    public const int MaxThresholdLength = 32;

    /// <summary>
    /// Checks every camera; <paramref name="cameras"/> pairs each camera with its index in the file so
    /// errors point at the entry the person wrote. Returns the errors with the index of their camera.
    /// </summary>
    public static List<(int Index, ConfigError Error)> Check(
        IReadOnlyList<(int Index, Camera Camera)> cameras, string file, IReadOnlyDictionary<string, Mark> marks, OwnServices? own = null)
    {
        var errors = new List<(int, ConfigError)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, camera) in cameras)
        {
            var at = $"cameras[{index}]";
            foreach (var (field, reason) in Problems(camera, own))
                errors.Add((index, Error(file, marks, $"{at}.{field}", at, reason)));
            if (string.IsNullOrEmpty(camera.Name) || NameProblem(camera.Name) is not null) continue;
            if (seen.TryGetValue(camera.Name, out var first))
                errors.Add((index, Error(file, marks, $"{at}.name", at, $"name '{camera.Name}' is already used by cameras[{first}]")));
            else seen[camera.Name] = index;
        }
        return errors;
    }

    private static ConfigError Error(string file, IReadOnlyDictionary<string, Mark> marks, string path, string fallback, string message)
    {
        var m = marks.TryGetValue(path, out var mark) ? mark : marks.TryGetValue(fallback, out var entry) ? entry : Mark.Empty;
        return new ConfigError(file, (int)m.Line, (int)m.Column, path, message);
    }

    /// <summary>Everything wrong with one camera, as (field path inside the camera, reason).</summary>
    public static IEnumerable<(string Field, string Reason)> Problems(Camera c, OwnServices? own = null)
    {
        own ??= OwnServices.None;
        if (NameProblem(c.Name) is { } name) yield return ("name", name);

        var urlProblem = UrlProblem(c.Url, own);
        if (urlProblem is not null) yield return ("url", urlProblem);
        var hasUser = !string.IsNullOrEmpty(c.Username);
        var hasPassword = !string.IsNullOrEmpty(c.Password);
        if (urlProblem is null && (hasUser || hasPassword))
        {
            if (SourceUrl.HasUserInfo(c.Url))
                yield return ("url", "credentials are both in the URL and in username/password; keep them only in username and password");
            else if (!SourceUrl.TakesCredentials(c.Url))
                yield return ("username", "credentials need a URL; an ffmpeg: source that reads another stream by name has none");
        }
        if (c.SubUrl is not null)
        {
            if (UrlProblem(c.SubUrl, own) is { } sub) yield return ("sub_url", sub);
            else if ((hasUser || hasPassword) && SourceUrl.HasUserInfo(c.SubUrl))
                yield return ("sub_url", "credentials are both in the URL and in username/password; keep them only in username and password");
        }
        if (hasPassword && !hasUser) yield return ("password", "a password needs a username");
        if (c.Username is not null && TextProblem(c.Username, MaxUsernameLength, invisibleToo: true) is { } user) yield return ("username", user);
        if (c.Password is not null && TextProblem(c.Password, MaxPasswordLength, invisibleToo: false) is { } password) yield return ("password", password);

        // go2rtc's RTSP parameters: only for rtsp/rtsps/rtspx (on onvif:// and others a # fragment corrupts the URL).
        var rtsp = urlProblem is null && SourceUrl.IsRtsp(c.Url);
        var ffmpeg = urlProblem is null && SourceUrl.IsFfmpeg(c.Url);
        const string rtspOnly = "applies only to rtsp://, rtsps:// and rtspx:// URLs";
        if (c.Transport is not null)
        {
            if (!Transports.Contains(c.Transport)) yield return ("transport", $"expected one of {string.Join(", ", Transports)}, found '{Shown(c.Transport)}'");
            else if (urlProblem is null && !rtsp) yield return ("transport", rtspOnly);
        }
        if (c.Timeout is { } timeout)
        {
            if (timeout < 1 || timeout > MaxTimeoutSeconds) yield return ("timeout", $"expected 1-{MaxTimeoutSeconds} s, found {timeout}");
            else if (urlProblem is null && !rtsp) yield return ("timeout", rtspOnly);
            else if (c.Transport == "udp" && timeout < MinUdpTimeoutSeconds)
                yield return ("timeout", $"with transport udp a timeout under {MinUdpTimeoutSeconds} s drops the camera every {timeout} s " +
                                         "(the RTSP keepalive comes every ~55 s); leave it out or use 60 or more");
        }
        if (c.Media is not null)
        {
            if (!Medias.Contains(c.Media)) yield return ("media", $"expected one of {string.Join(", ", Medias)}, found '{Shown(c.Media)}'");
            else if (urlProblem is null && !rtsp) yield return ("media", rtspOnly);
        }
        if (c.Backchannel is not null && urlProblem is null && !rtsp) yield return ("backchannel", rtspOnly);

        foreach (var problem in CodecProblems("video", c.Video, VideoCodecs, ffmpeg)) yield return problem;
        foreach (var problem in CodecProblems("audio", c.Audio, AudioCodecs, ffmpeg)) yield return problem;
        if (c.Audio is not null && c.Media == "video")
            yield return ("audio", "an audio transcode needs audio, but media is video");
        if (c.Hardware is not null)
        {
            if (!HardwareEngines.Contains(c.Hardware))
                yield return ("hardware", $"expected true, false or one of {string.Join(", ", HardwareEngines.Skip(2))}, found '{Shown(c.Hardware)}'");
            else if (c.Hardware != "false" && c.Video is null)
                yield return ("hardware", "hardware encoding applies to a video transcode; set video too");
        }

        if (c.Detect is { } d)
        {
            if (string.IsNullOrEmpty(d.Url)) yield return ("detect.url", "expected the detector's http:// or https:// URL, found nothing");
            else if (HttpProblem(d.Url, own) is { } u) yield return ("detect.url", u);
            if (d.IntervalMs < 100 || d.IntervalMs > 3_600_000) yield return ("detect.interval_ms", $"expected 100-3600000 ms, found {d.IntervalMs}");
            if (d.Threshold is { Length: > MaxThresholdLength } || d.ThresholdValue() is not { } t || t < 0 || t > 1)
                yield return ("detect.threshold", $"expected a number from 0 to 1, found '{Shown(d.Threshold ?? "")}'");
            if (d.Labels.Count > MaxLabels) yield return ("detect.labels", $"expected at most {MaxLabels} labels, found {d.Labels.Count}");
            else
                for (var i = 0; i < d.Labels.Count; i++)
                {
                    var label = d.Labels[i];
                    if (string.IsNullOrEmpty(label) || label.Length > MaxLabelLength || label.Any(ch => char.IsWhiteSpace(ch)) || Invisible(label))
                        yield return ($"detect.labels[{i}]", $"expected a label of 1-{MaxLabelLength} visible characters without spaces");
                }
            if (d.Webhook is not null && HttpProblem(d.Webhook, own) is { } w) yield return ("detect.webhook", w);
        }
    }

    private static IEnumerable<(string, string)> CodecProblems(string field, string? value, string[] known, bool ffmpegUrl)
    {
        if (value is null) yield break;
        var items = value.Split(',');
        foreach (var item in items)
        {
            if (!known.Contains(item))
            {
                yield return (field, $"expected one or more of {string.Join(", ", known)} (comma-separated), found '{Shown(value)}'");
                yield break;
            }
            if (item == "copy" && !ffmpegUrl)
            {
                // A loopback ffmpeg:<name>#video=copy would be a second producer competing with the camera for the same stream.
                yield return (field, "copy only makes sense on an ffmpeg: URL; leave the field out to keep the camera's codec");
                yield break;
            }
        }
        if (items.Distinct().Count() != items.Length) yield return (field, $"lists a codec twice: '{Shown(value)}'");
    }

    /// <summary>Why a camera name cannot be a go2rtc stream name, or null when it can.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "expected a name of 1-64 characters a-z, 0-9, _ or -, found nothing";
        if (!SourceUrl.StreamName().IsMatch(name))
            return $"expected 1-64 characters a-z, 0-9, _ or - (it becomes the RTSP path and the go2rtc stream name), found '{Shown(name)}'";
        if (name.EndsWith("_sub", StringComparison.Ordinal))
            return "names ending in _sub are reserved for sub streams (<name>_sub)";
        return null;
    }

    /// <summary>Why a camera URL is refused, or null when go2rtc may be given it. Never repeats the URL.</summary>
    public static string? UrlProblem(string? url, OwnServices? own = null) => UrlProblem(url, own ?? OwnServices.None, nested: false);

    private static string? UrlProblem(string? url, OwnServices own, bool nested)
    {
        if (string.IsNullOrEmpty(url)) return "expected a camera URL such as rtsp://192.168.1.10:554/stream1, found nothing";
        var bytes = Encoding.UTF8.GetByteCount(url);
        if (bytes > SourceUrl.MaxBytes) return $"the URL is {bytes} bytes, the limit is {SourceUrl.MaxBytes}";
        var scheme = SourceUrl.Scheme(url);
        var lower = scheme?.ToLowerInvariant();
        if (lower is not null && SourceUrl.CommandSchemes.Contains(lower)) return $"{lower}: sources make go2rtc run commands; not allowed";
        if (url.Any(char.IsControl)) return "contains a control character";
        if (Invisible(url)) return "contains an invisible Unicode character (zero-width, direction control or similar)";
        if (url.Any(char.IsWhiteSpace)) return "contains whitespace (go2rtc refuses such sources); percent-encode a space as %20";
        // Decode, then check again: go2rtc and ffmpeg decode %0a into a real line break. Several rounds, so %250a is caught too.
        var decoded = SourceUrl.Decoded(url);
        if (decoded.Any(char.IsControl)) return "contains a percent-encoded control character (%00-%1F or %7F, e.g. %0A, a line break)";
        if (Invisible(decoded)) return "contains a percent-encoded invisible Unicode character (zero-width, direction control or similar)";
        if (scheme is null || lower is null) return "has no scheme; expected a URL such as rtsp://192.168.1.10:554/stream1";

        var hash = url.IndexOf('#');
        if (hash >= 0)
        {
            var fragment = url[hash..].ToLowerInvariant();
            if (fragment.Contains("#raw=", StringComparison.Ordinal))
                return "#raw= passes arbitrary arguments to ffmpeg; not allowed";
            if (fragment.Contains("#input=", StringComparison.Ordinal))
                return "#input= passes an arbitrary ffmpeg input template; not allowed";
            return "contains '#': go2rtc parameters come from the camera's fields (transport, timeout, media, backchannel, video, audio, hardware), " +
                   "not from the URL; percent-encode a literal # as %23";
        }
        if (scheme != lower) return $"write the scheme in lower case ({lower}:)";

        if (lower == "ffmpeg")
        {
            if (nested) return "an ffmpeg: source cannot read another ffmpeg: source";
            var input = SourceUrl.FfmpegInput(url);
            if (SourceUrl.StreamName().IsMatch(input)) return null; // reads another go2rtc stream by name
            var inputScheme = SourceUrl.Scheme(input)?.ToLowerInvariant();
            if (inputScheme is null || (!SourceUrl.FfmpegInputSchemes.Contains(inputScheme) && inputScheme != "ffmpeg"
                                        && !SourceUrl.CommandSchemes.Contains(inputScheme)))
                return $"an ffmpeg: source reads a stream name or a {string.Join("/", SourceUrl.FfmpegInputSchemes)} URL";
            return UrlProblem(input, own, nested: true) is { } inner ? $"ffmpeg input: {inner}" : null;
        }
        if (!SourceUrl.NetworkSchemes.Contains(lower))
            return $"unsupported scheme '{Shown(scheme)}' (allowed: {string.Join(", ", SourceUrl.NetworkSchemes)}, ffmpeg)";
        return NetworkProblem(url, lower, own);
    }

    /// <summary>Structure checks for <c>scheme://[userinfo@]host[:port][/path][?query]</c>.</summary>
    private static string? NetworkProblem(string url, string scheme, OwnServices own)
    {
        if (SourceUrl.SplitAuthority(url) is not { } parts) return "cannot be parsed as a URL: expected scheme://host";
        for (var i = url.IndexOf('%'); i >= 0; i = url.IndexOf('%', i + 1))
            if (i + 2 >= url.Length || !Uri.IsHexDigit(url[i + 1]) || !Uri.IsHexDigit(url[i + 2]))
                return "contains a % that is not followed by two hex digits (write a literal % as %25)";
        var hostPort = parts.Authority[(parts.Authority.LastIndexOf('@') + 1)..];
        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0) return "cannot be parsed as a URL: unclosed [ in the host";
            host = hostPort[1..close];
            if (close + 1 < hostPort.Length)
            {
                if (hostPort[close + 1] != ':') return "cannot be parsed as a URL: unexpected text after the host";
                port = hostPort[(close + 2)..];
            }
            if (Uri.CheckHostName(host) != UriHostNameType.IPv6) return "has an invalid IPv6 host";
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon >= 0 ? hostPort[..colon] : hostPort;
            if (colon >= 0) port = hostPort[(colon + 1)..];
            if (host.Length == 0) return "has no host";
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
                return "has an invalid host name";
        }
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1 || p > 65535))
            return "has an invalid port; expected 1-65535";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
            return "cannot be parsed as a URL";
        return own.Problem(scheme, Uri.UnescapeDataString(host), port is null ? null : int.Parse(port, CultureInfo.InvariantCulture));
    }

    private static string? HttpProblem(string url, OwnServices own)
    {
        if (UrlProblem(url, own) is { } problem) return problem;
        return SourceUrl.Scheme(url) is "http" or "https" ? null : "expected an http:// or https:// URL";
    }

    /// <summary>Why a free-text field is refused (too long, control characters, invisible characters), or null.</summary>
    private static string? TextProblem(string value, int max, bool invisibleToo)
    {
        if (value.Length > max) return $"is {value.Length} characters long, the limit is {max}";
        if (value.Any(char.IsControl)) return "contains a control character";
        if (invisibleToo && Invisible(value)) return "contains an invisible Unicode character (zero-width, direction control or similar)";
        return null;
    }

    /// <summary>
    /// Unicode format characters (zero-width space and joiners, bidi embeddings and isolates, BOM, tag
    /// characters) and unpaired surrogates: text that looks like something else than it is.
    /// </summary>
    public static bool Invisible(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogate(value[i]) && !char.IsSurrogatePair(value, i) && !(i > 0 && char.IsSurrogatePair(value, i - 1))) return true;
            if (CharUnicodeInfo.GetUnicodeCategory(value, i) is UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator) return true;
        }
        return false;
    }

    /// <summary>A user-typed value quoted in a message: short, and never a URL with its userinfo.</summary>
    private static string Shown(string value)
    {
        var redacted = Logging.Redactor.Redact(value);
        return redacted.Length <= 40 ? redacted : redacted[..40] + "…";
    }
}
