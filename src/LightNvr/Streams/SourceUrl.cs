using System.Text.RegularExpressions;

namespace LightNvr.Streams;

/// <summary>
/// The small amount of URL structure the camera rules and the source builder share: the scheme,
/// the authority (userinfo, host, port) and, for <c>ffmpeg:</c>, its input. Plain string work, so
/// both sides agree on exactly the same split.
/// </summary>
internal static partial class SourceUrl
{
    /// <summary>Schemes go2rtc may dial a camera with directly.</summary>
    public static readonly string[] NetworkSchemes = ["rtsp", "rtsps", "rtspx", "rtmp", "http", "https", "onvif"];

    /// <summary>Schemes that take go2rtc's RTSP <c>#</c> parameters; any other scheme would take them as part of its URL.</summary>
    public static readonly string[] RtspSchemes = ["rtsp", "rtsps", "rtspx"];

    /// <summary>Inputs an <c>ffmpeg:</c> source may read besides a stream name.</summary>
    public static readonly string[] FfmpegInputSchemes = ["rtsp", "rtsps", "rtspx", "rtmp", "http", "https"];

    /// <summary>Schemes that make go2rtc run commands or evaluate expressions.</summary>
    public static readonly string[] CommandSchemes = ["exec", "echo", "expr"];

    public const int MaxBytes = 2048;

    // \A…\z, never ^…$: .NET's $ also matches before a final line break ("cam2\n" would pass).
    [GeneratedRegex(@"\A[a-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    public static partial Regex StreamName();

    [GeneratedRegex(@"\A(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePrefix();

    /// <summary>The scheme exactly as written (case kept), or null when the text has none.</summary>
    public static string? Scheme(string url) => SchemePrefix().Match(url) is { Success: true } m ? m.Groups["scheme"].Value : null;

    public static bool IsRtsp(string url) => Scheme(url) is { } s && RtspSchemes.Contains(s);

    public static bool IsFfmpeg(string url) => Scheme(url) == "ffmpeg";

    /// <summary>The input of an <c>ffmpeg:</c> source (a URL or a stream name).</summary>
    public static string FfmpegInput(string url) => url["ffmpeg:".Length..];

    /// <summary>True when the URL (or the ffmpeg input) is a network URL that can carry credentials.</summary>
    public static bool TakesCredentials(string url) =>
        IsFfmpeg(url) ? FfmpegInput(url).Contains("://", StringComparison.Ordinal) : url.Contains("://", StringComparison.Ordinal);

    /// <summary>Splits <c>scheme://authority/rest</c>; the authority ends at the first '/' or '?'.</summary>
    public static (string Prefix, string Authority, string Tail)? SplitAuthority(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) return null;
        start += 3;
        var end = url.IndexOfAny(['/', '?'], start);
        if (end < 0) end = url.Length;
        return (url[..start], url[start..end], url[end..]);
    }

    /// <summary>The text percent-decoded until it no longer changes (at most 4 rounds): what a decoder down the line may finally see.</summary>
    public static string Decoded(string text)
    {
        for (var round = 0; round < 4; round++)
        {
            var next = Uri.UnescapeDataString(text);
            if (next == text) break;
            text = next;
        }
        return text;
    }

    /// <summary>True when the URL's authority holds <c>user[:pass]@</c>.</summary>
    public static bool HasUserInfo(string url)
    {
        var target = IsFfmpeg(url) ? FfmpegInput(url) : url;
        return SplitAuthority(target) is { } parts && parts.Authority.Contains('@');
    }
}
