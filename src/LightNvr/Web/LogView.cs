using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LightNvr.Web;

/// <summary>
/// go2rtc's log lines as a person reads them: the supervisor runs go2rtc with JSON logs (easy to
/// parse), which are hard to read, so the status view shows "HH:mm:ss.fff LVL message key=value".
/// Text lines pass through unchanged.
/// </summary>
public static class LogView
{
    public static string Humanize(string line)
    {
        if (!line.StartsWith('{')) return line;
        try
        {
            // A flat object of go2rtc's zerolog fields; the reader (not a DOM) keeps the binary small.
            string? time = null, level = null, message = null;
            var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var bytes = Encoding.UTF8.GetBytes(line);
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return line;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!reader.Read()) return line;
                string value;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    value = Encoding.UTF8.GetString(bytes, start, (int)reader.BytesConsumed - start);
                }
                else value = reader.TokenType == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
                switch (name)
                {
                    case "time" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms):
                        time = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
                        break;
                    case "level": level = value.Length > 0 ? value[..Math.Min(3, value.Length)].ToUpperInvariant() : null; break;
                    case "message": message = value; break;
                    default: fields[name] = value; break;
                }
            }
            IEnumerable<string?> parts = [time, level, message, .. fields.Select(f => $"{f.Key}={f.Value}")];
            return string.Join(' ', parts.Where(p => !string.IsNullOrEmpty(p)));
        }
        catch (JsonException)
        {
            return line;
        }
    }
}
