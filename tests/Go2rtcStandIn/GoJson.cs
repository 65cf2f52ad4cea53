using System.Globalization;
using System.Text;

namespace Go2rtcStandIn;

/// <summary>An ordered JSON object (a Go struct): fields are written in insertion order.</summary>
internal sealed class JObj : List<KeyValuePair<string, object?>>
{
    public JObj Add(string key, object? value) { Add(new KeyValuePair<string, object?>(key, value)); return this; }
}

/// <summary>encoding/json look-alike: Go map keys sorted, HTML escaping on, Encoder's trailing newline, 2-space indent.</summary>
internal static class GoJson
{
    public static string Encode(object? v, bool pretty = false)
    {
        var sb = new StringBuilder();
        Write(sb, v, pretty, 0);
        sb.Append('\n');
        return sb.ToString();
    }

    private static void Indent(StringBuilder sb, int level) { sb.Append('\n'); sb.Append(' ', level * 2); }

    private static void Write(StringBuilder sb, object? v, bool pretty, int level)
    {
        switch (v)
        {
            case null: sb.Append("null"); break;
            case string s: sb.Append(Quote(s, true)); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case JObj o: WriteObject(sb, o, pretty, level); break;
            case SortedDictionary<string, object?> m: WriteObject(sb, m, pretty, level); break;
            case IEnumerable<object?> list:
                {
                    var items = list.ToList();
                    if (items.Count == 0) { sb.Append("[]"); break; }
                    sb.Append('[');
                    for (int i = 0; i < items.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        if (pretty) Indent(sb, level + 1);
                        Write(sb, items[i], pretty, level + 1);
                    }
                    if (pretty) Indent(sb, level);
                    sb.Append(']');
                    break;
                }
            default: sb.Append(Quote(v.ToString() ?? "", true)); break;
        }
    }

    private static void WriteObject(StringBuilder sb, IEnumerable<KeyValuePair<string, object?>> fields, bool pretty, int level)
    {
        var items = fields.ToList();
        if (items.Count == 0) { sb.Append("{}"); return; }
        sb.Append('{');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(',');
            if (pretty) Indent(sb, level + 1);
            sb.Append(Quote(items[i].Key, true)).Append(pretty ? ": " : ":");
            Write(sb, items[i].Value, pretty, level + 1);
        }
        if (pretty) Indent(sb, level);
        sb.Append('}');
    }

    /// <summary>A Go JSON string literal; html=true escapes &lt; &gt; &amp; as \u003c \u003e \u0026 like json.Encoder.</summary>
    public static string Quote(string s, bool html)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                case '<' or '>' or '&' when html: sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default:
                    if (c < 0x20) sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}

/// <summary>Go's url.ParseQuery: split on '&amp;', drop pairs with a raw ';' or a bad escape, '+' is a space, decode once.</summary>
internal sealed class GoQuery
{
    private readonly List<KeyValuePair<string, string>> _pairs = new();

    public static GoQuery Parse(string raw)
    {
        var q = new GoQuery();
        foreach (var part in raw.Split('&'))
        {
            if (part.Length == 0 || part.Contains(';')) continue;
            int eq = part.IndexOf('=');
            string k = eq < 0 ? part : part[..eq], v = eq < 0 ? "" : part[(eq + 1)..];
            var key = Unescape(k);
            var value = Unescape(v);
            if (key is null || value is null) continue;
            q._pairs.Add(new(key, value));
        }
        return q;
    }

    public static string? Unescape(string s)
    {
        var bytes = new List<byte>(s.Length);
        var src = Encoding.UTF8.GetBytes(s);
        for (int i = 0; i < src.Length; i++)
        {
            byte b = src[i];
            if (b == '%')
            {
                if (i + 2 >= src.Length || !IsHex(src[i + 1]) || !IsHex(src[i + 2])) return null;
                bytes.Add((byte)(Hex(src[i + 1]) * 16 + Hex(src[i + 2])));
                i += 2;
            }
            else bytes.Add(b == '+' ? (byte)' ' : b);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
    private static int Hex(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    public string Get(string key) { foreach (var p in _pairs) if (p.Key == key) return p.Value; return ""; }
    public bool Has(string key) => _pairs.Any(p => p.Key == key);
    public List<string> All(string key) => _pairs.Where(p => p.Key == key).Select(p => p.Value).ToList();
    public IEnumerable<string> Keys => _pairs.Select(p => p.Key).Distinct();

    /// <summary>Go's Values.Encode: keys sorted, values in order, QueryEscape'd.</summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Escape(p.Key) + "=" + Escape(p.Value)));

    private static string Escape(string s) => Uri.EscapeDataString(s).Replace("%20", "+");
}
