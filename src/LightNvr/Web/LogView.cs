using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LightNvr.Web;

/// <summary>
/// go2rtc's log lines as a person reads them: the supervisor runs go2rtc with JSON logs (easy to
/// parse), which are hard to read, so the page shows "HH:mm:ss.fff LVL message key=value". status.js
/// does the same for refreshed lines. Text lines pass through unchanged.
/// </summary>
public static class LogView
{
    public static string Humanize(string line)
    {
        if (!line.StartsWith('{')) return line;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object) return line;
            var parts = new List<string>();
            if (o.TryGetProperty("time", out var t) && t.TryGetInt64(out var ms))
                parts.Add(DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture));
            if (o.TryGetProperty("level", out var l) && l.GetString() is { Length: > 0 } level)
                parts.Add(level[..Math.Min(3, level.Length)].ToUpperInvariant());
            if (o.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } message) parts.Add(message);
            foreach (var p in o.EnumerateObject().Where(p => p.Name is not ("time" or "level" or "message")).OrderBy(p => p.Name, StringComparer.Ordinal))
                parts.Add($"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}");
            return string.Join(' ', parts);
        }
        catch (JsonException)
        {
            return line;
        }
    }
}
