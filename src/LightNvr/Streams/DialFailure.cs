using System.Text.RegularExpressions;

namespace LightNvr.Streams;

/// <summary>
/// Reads go2rtc's answer to a call that dials the camera (a preload): whether it says the camera could
/// not be reached, and its reason in go2rtc's own words, e.g. "streams: dial tcp 10.0.0.5:554: i/o
/// timeout". go2rtc lists such a producer as a bare url with no bytes; this answer is where it says why. Pure.
/// </summary>
public static partial class DialFailure
{
    [GeneratedRegex(@"dial tcp|dial udp|no route to host|connection refused|i/o timeout|network is unreachable|connect:|no such host", RegexOptions.IgnoreCase)]
    private static partial Regex Unreachable();

    [GeneratedRegex(@"\Ago2rtc answered \d{3}: ")]
    private static partial Regex Prefix();

    /// <summary>go2rtc's reason (already redacted by the API client), or null if the error is about something else.</summary>
    public static string? Reason(string? error)
    {
        if (string.IsNullOrWhiteSpace(error) || !Unreachable().IsMatch(error)) return null;
        var reason = Logging.Redactor.Redact(Prefix().Replace(error, "").Trim());
        return reason.Length > 300 ? reason[..300] + "…" : reason;
    }
}
