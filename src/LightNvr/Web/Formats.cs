using System.Globalization;

namespace LightNvr.Web;

/// <summary>How the status page writes numbers, moments and state colours: invariant culture, so the page reads the same everywhere.</summary>
public static class Formats
{
    /// <summary>Shown where a value does not exist (no process, no stream, nothing measured).</summary>
    public const string None = "—";

    /// <summary>The colour of a camera's state word.</summary>
    public static string Tone(string word) => word switch
    {
        "live" or "registered" => "ok",
        "stalled" or "error" or "unreachable" => "bad",
        "disabled" or "idle" => "muted",
        _ => "warn",
    };

    public static string Bitrate(double bytesPerSecond)
    {
        var kbit = bytesPerSecond * 8 / 1000;
        var rounded = Math.Round(kbit, MidpointRounding.AwayFromZero); // 999.7 kbit/s reads as 1.0 Mbit/s, never "1000 kbit/s"
        return rounded >= 1000 ? (kbit / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " Mbit/s"
            : rounded.ToString(CultureInfo.InvariantCulture) + " kbit/s";
    }

    public static string Viewers(int n) => n == 1 ? "1 viewer" : $"{n} viewers";

    /// <summary>The two largest units: "3d 4h 5m", "1h 2m", "2m 5s", "7s".</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || s < 0 || double.IsNaN(s)) return None;
        var t = TimeSpan.FromSeconds(Math.Floor(Math.Min(s, TimeSpan.MaxValue.TotalSeconds - 1)));
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h {t.Minutes}m" : t.TotalHours >= 1 ? $"{t.Hours}h {t.Minutes}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds}s" : $"{t.Seconds}s";
    }

    public static string Megabytes(long bytes) => bytes <= 0 ? None : (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static string Number(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? None;

    /// <summary>A moment as a person reads it, in UTC and saying so (the appliance and the browser may be in different zones).</summary>
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
