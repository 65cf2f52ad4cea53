using System.Globalization;
using System.Text;

using static LightNvr.Streams.TypedText;

namespace LightNvr.Streams;

/// <summary>
/// Why a URL a person gives (a camera, its sub stream, an <c>ffmpeg:</c> input, a detector or webhook) is
/// refused, or null when go2rtc or the appliance may be given it. Pure. A reason never repeats the URL: it
/// can hold a password.
/// </summary>
public static class UrlRules
{
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

    /// <summary>Why a detector or webhook URL is refused: the camera URL checks, and http or https only.</summary>
    internal static string? HttpProblem(string url, OwnServices own)
    {
        if (UrlProblem(url, own) is { } problem) return problem;
        return SourceUrl.Scheme(url) is "http" or "https" ? null : "expected an http:// or https:// URL";
    }
}
