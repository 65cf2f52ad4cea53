using System.Globalization;
using System.Text;

namespace LightNvr.Metrics;

public enum MetricType { Gauge, Counter }

public sealed record MetricSample(double Value, params IReadOnlyList<KeyValuePair<string, string>> Labels)
{
    public static MetricSample With(double value, string label, string labelValue) => new(value, KeyValuePair.Create(label, labelValue));
}

/// <summary>One family: a single HELP and TYPE line, then all its samples together.</summary>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<MetricSample> Samples);

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 (<c>text/plain; version=0.0.4</c>). Families are
/// written whole, in the given order, so they can never interleave; names are checked because a
/// scraper rejects the whole page for one bad line. Pure.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var sb = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in families)
        {
            if (!IsMetricName(f.Name)) throw new ArgumentException($"invalid metric name '{f.Name}'", nameof(families));
            if (!seen.Add(f.Name)) throw new ArgumentException($"metric family '{f.Name}' given twice", nameof(families));
            sb.Append("# HELP ").Append(f.Name).Append(' ').Append(EscapeHelp(f.Help)).Append('\n');
            sb.Append("# TYPE ").Append(f.Name).Append(' ').Append(f.Type == MetricType.Counter ? "counter" : "gauge").Append('\n');
            foreach (var s in f.Samples)
            {
                sb.Append(f.Name);
                if (s.Labels.Count > 0)
                {
                    sb.Append('{');
                    for (var i = 0; i < s.Labels.Count; i++)
                    {
                        var (name, value) = s.Labels[i];
                        if (!IsLabelName(name)) throw new ArgumentException($"invalid label name '{name}' on '{f.Name}'", nameof(families));
                        if (i > 0) sb.Append(',');
                        sb.Append(name).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
                    }
                    sb.Append('}');
                }
                sb.Append(' ').Append(FormatValue(s.Value)).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary><c>[a-zA-Z_:][a-zA-Z0-9_:]*</c></summary>
    public static bool IsMetricName(string name) => IsName(name, allowColon: true);

    /// <summary><c>[a-zA-Z_][a-zA-Z0-9_]*</c>, and <c>__</c> is reserved for Prometheus itself.</summary>
    public static bool IsLabelName(string name) => IsName(name, allowColon: false) && !name.StartsWith("__", StringComparison.Ordinal);

    private static bool IsName(string name, bool allowColon)
    {
        if (name.Length == 0) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    /// <summary>HELP text escapes only backslash and line feed.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", @"\\").Replace("\n", @"\n");

    /// <summary>Go's ParseFloat spellings, never the current culture's.</summary>
    public static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
