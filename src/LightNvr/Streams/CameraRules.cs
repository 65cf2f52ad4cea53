using LightNvr.Config;
using YamlDotNet.Core;
using static LightNvr.Streams.TypedText;

namespace LightNvr.Streams;

/// <summary>
/// The meaning checks for streams.yaml. Pure: cameras in, errors out; the marks only say where in the
/// file each field was written. Every error names the field (<c>cameras[2].url</c>) and the reason,
/// and never repeats a URL or a credential (a URL can hold a password). The URLs themselves are judged
/// by <see cref="UrlRules"/>; here is what the other fields mean and how they fit the URL.
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

        var urlProblem = UrlRules.UrlProblem(c.Url, own);
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
            if (UrlRules.UrlProblem(c.SubUrl, own) is { } sub) yield return ("sub_url", sub);
            else if ((hasUser || hasPassword) && SourceUrl.HasUserInfo(c.SubUrl))
                yield return ("sub_url", "credentials are both in the URL and in username/password; keep them only in username and password");
        }
        if (hasPassword && !hasUser) yield return ("password", "a password needs a username");
        if (c.Username is not null && TypedText.Problem(c.Username, MaxUsernameLength, invisibleToo: true) is { } user) yield return ("username", user);
        if (c.Password is not null && TypedText.Problem(c.Password, MaxPasswordLength, invisibleToo: false) is { } password) yield return ("password", password);

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
            else if (UrlRules.HttpProblem(d.Url, own) is { } u) yield return ("detect.url", u);
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
            if (d.Webhook is not null && UrlRules.HttpProblem(d.Webhook, own) is { } w) yield return ("detect.webhook", w);
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
}
