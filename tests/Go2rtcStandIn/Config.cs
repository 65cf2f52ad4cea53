using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Go2rtcStandIn;

/// <summary>go2rtc's config handling: -c values (file, inline {…}, a.b=c), merge in order, ConfigPath, text-level write-back.</summary>
internal static partial class Config
{
    public static string ConfigPath = "";
    public static Dictionary<string, object?> Root = new();
    /// <summary>Files that were read (in order), for the "config path=" lines.</summary>
    public static readonly List<string> Warnings = new();
    private static readonly object WriteGate = new();

    public static void Load(List<string>? confs)
    {
        confs ??= new List<string> { "go2rtc.yaml" };
        foreach (var conf in confs)
        {
            if (conf.Length == 0) continue;
            string? text;
            if (conf[0] == '{') text = conf;
            else if (ParseConfString(conf) is { } s) text = s;
            else
            {
                if (ConfigPath == "") ConfigPath = conf;
                try { text = ReplaceEnvVars(File.ReadAllText(conf)); }
                catch (Exception) { continue; }
            }
            try
            {
                if (ParseYaml(text) is Dictionary<string, object?> map) Merge(Root, map);
            }
            catch (YamlException e)
            {
                Warnings.Add(GoYamlError(e));
            }
        }
        if (ConfigPath != "" && !Path.IsPathRooted(ConfigPath))
            ConfigPath = Path.Join(Directory.GetCurrentDirectory(), ConfigPath);
        if (ConfigPath != "") ConfigPath = CleanPath(ConfigPath);
    }

    private static string CleanPath(string p)
    {
        var parts = new List<string>();
        foreach (var seg in p.Split('/'))
        {
            if (seg == "" || seg == ".") continue;
            if (seg == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(seg);
        }
        return "/" + string.Join('/', parts);
    }

    public static string GoYamlError(YamlException e) =>
        "yaml: line " + e.Start.Line + ": " + (e.InnerException?.Message ?? e.Message).Split(": ", 2).Last();

    /// <summary>`log.level=trace` → `{log: {level: trace}}`; null when the value is a file name.</summary>
    private static string? ParseConfString(string s)
    {
        int i = s.IndexOf('=');
        if (i < 0) return null;
        var items = s[..i].Split('.');
        if (items.Length < 2) return null;
        var pre = new StringBuilder();
        var suf = new StringBuilder(s[(i + 1)..]);
        foreach (var item in items) { pre.Append('{').Append(item).Append(": "); suf.Append('}'); }
        return pre.ToString() + suf;
    }

    [GeneratedRegex(@"\$\{([^}:]+)(?::([^}]*))?\}")]
    private static partial Regex EnvVar();

    private static string ReplaceEnvVars(string text) => EnvVar().Replace(text, m =>
        Environment.GetEnvironmentVariable(m.Groups[1].Value) is { } v ? v
        : m.Groups[2].Success ? m.Groups[2].Value : m.Value);

    public static object? ParseYaml(string text)
    {
        var ys = new YamlStream();
        ys.Load(new StringReader(text));
        if (ys.Documents.Count == 0) return null;
        return Convert(ys.Documents[0].RootNode);
    }

    private static object? Convert(YamlNode n) => n switch
    {
        YamlMappingNode m => m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => Convert(kv.Value)),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode sc when sc.Style == ScalarStyle.Plain && sc.Value is "" or "~" or "null" or "Null" or "NULL" => null,
        YamlScalarNode sc => sc.Value ?? "",
        _ => null,
    };

    private static void Merge(Dictionary<string, object?> dst, Dictionary<string, object?> src)
    {
        foreach (var (k, v) in src)
        {
            if (v is Dictionary<string, object?> sm && dst.TryGetValue(k, out var d) && d is Dictionary<string, object?> dm)
                Merge(dm, sm);
            else dst[k] = v;
        }
    }

    public static object? Get(params string[] path)
    {
        object? cur = Root;
        foreach (var p in path)
        {
            if (cur is not Dictionary<string, object?> m || !m.TryGetValue(p, out cur)) return null;
        }
        return cur;
    }

    public static bool Has(params string[] path)
    {
        object? cur = Root;
        foreach (var p in path)
            if (cur is not Dictionary<string, object?> m || !m.TryGetValue(p, out cur)) return false;
        return true;
    }

    public static string Str(string def, params string[] path) => Has(path) ? Get(path) as string ?? "" : def;

    // ---------------- write-back (pkg/yaml Patch semantics) ----------------

    /// <summary>app.PatchConfig: returns null on success or the Go error text.</summary>
    public static string? PatchConfig(string[] path, object? value)
    {
        if (ConfigPath == "") return "config file disabled";
        lock (WriteGate)
        {
            byte[] b;
            try { b = File.ReadAllBytes(ConfigPath); } catch (Exception) { b = Array.Empty<byte>(); }
            var (dst, err) = Patch(b, path, value);
            if (err != null) return err;
            return Native.WriteFile(ConfigPath, dst!);
        }
    }

    public static (byte[]? Dst, string? Err) Patch(byte[] src, string[] path, object? value)
    {
        string key = path[^1];
        var parents = path[..^1];
        YamlNode? parent;
        try { parent = FindParent(src, parents); }
        catch (YamlException e) { return (null, GoYamlError(e)); }

        byte[] dst;
        if (parent != null) dst = AddOrReplace(src, key, value, parent);
        else
        {
            if (parents.Length > 1 || value == null) return (null, "yaml: path not exist");
            var put = Encoding.UTF8.GetBytes(parents[0] + ":\n" + Indent(EncodePair(key, value), 2));
            var list = new List<byte>(src);
            if (src.Length > 0 && src[^1] != '\n') list.Add((byte)'\n');
            list.AddRange(put);
            dst = list.ToArray();
        }
        try { ParseYaml(Encoding.UTF8.GetString(dst)); }
        catch (YamlException e) { return (null, GoYamlError(e)); }
        return (dst, null);
    }

    private static YamlNode? FindParent(byte[] src, string[] path)
    {
        if (src.Length == 0) return null;
        var ys = new YamlStream();
        ys.Load(new StringReader(Encoding.UTF8.GetString(src)));
        if (ys.Documents.Count == 0) return null;
        YamlNode? parent = ys.Documents[0].RootNode;
        foreach (var name in path)
        {
            if (parent == null) break;
            parent = FindChild(parent, name).Value;
        }
        return parent;
    }

    private static (YamlNode? Key, YamlNode? Value) FindChild(YamlNode node, string name)
    {
        if (node is YamlMappingNode m)
            foreach (var kv in m.Children)
                if (kv.Key is YamlScalarNode s && s.Value == name) return (kv.Key, kv.Value);
        return (null, null);
    }

    private static YamlNode FirstChild(YamlNode n) => n switch
    {
        YamlMappingNode m when m.Children.Count > 0 => m.Children.First().Key,
        YamlSequenceNode s when s.Children.Count > 0 => s.Children[0],
        _ => n,
    };

    private static YamlNode LastChild(YamlNode n) => n switch
    {
        YamlMappingNode m when m.Children.Count > 0 => LastChild(m.Children.Last().Value),
        YamlSequenceNode s when s.Children.Count > 0 => LastChild(s.Children[^1]),
        _ => n,
    };

    private static int Line(YamlNode n) => (int)n.Start.Line;

    private static byte[] AddOrReplace(byte[] src, string key, object? value, YamlNode parent)
    {
        string put = value == null ? "" : EncodePair(key, value);
        var (nodeKey, nodeValue) = FindChild(parent, key);
        if (nodeKey != null)
        {
            put = Indent(put, (int)nodeKey.Start.Column - 1);
            int i0 = LineOffset(src, Line(nodeKey));
            int i1 = LineOffset(src, Line(LastChild(nodeValue!)) + 1);
            var dst = new List<byte>(src[..i0]);
            dst.AddRange(Encoding.UTF8.GetBytes(put));
            if (i1 >= 0) dst.AddRange(src[i1..]);
            return dst.ToArray();
        }

        // go2rtc's rule, whatever the section holds: indent like its first child, insert after its last line.
        // A section without children (`streams: {}`, a null `streams:`) is its own first and last child, so
        // under `streams: {}` the new key lands on the next line, indented to the `{`: invalid YAML, a 400.
        int indent = (int)FirstChild(parent).Start.Column - 1;
        int line = Line(LastChild(parent));
        put = Indent(put, indent);
        int i = LineOffset(src, line + 1);
        if (i < 0)
        {
            var d = new List<byte>(src) { (byte)'\n' };
            d.AddRange(Encoding.UTF8.GetBytes(put));
            return d.ToArray();
        }
        var res = new List<byte>(src[..i]);
        res.AddRange(Encoding.UTF8.GetBytes(put));
        res.AddRange(src[i..]);
        return res.ToArray();
    }

    private static int LineOffset(byte[] b, int line)
    {
        int offset = 0;
        for (int l = 1; ; l++)
        {
            if (l == line) return offset;
            int i = Array.IndexOf(b, (byte)'\n', offset);
            if (i < 0) return -1;
            offset = i + 1;
        }
    }

    private static string Indent(string s, int n)
    {
        if (n <= 0 || s.Length == 0) return s;
        var pre = new string(' ', n);
        var sb = new StringBuilder();
        foreach (var line in s.Split('\n'))
        {
            if (line.Length == 0) continue;
            sb.Append(pre).Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>yaml.v3 Encode({key: value}) with indent 2.</summary>
    private static string EncodePair(string key, object value) => value switch
    {
        IEnumerable<string> list when value is not string => YamlScalar(key) + ":\n" + string.Concat(list.Select(s => "  - " + YamlScalar(s) + "\n")),
        _ => YamlScalar(key) + ": " + YamlScalar(value.ToString() ?? "") + "\n",
    };

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\d{4}-\d\d?-\d\d?.*)$")]
    private static partial Regex NonString();

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "<<",
    };

    /// <summary>yaml.v3 scalar style: double quotes if it would resolve to another type, plain if allowed, else single quotes.</summary>
    public static string YamlScalar(string s)
    {
        if (Reserved.Contains(s) || NonString().IsMatch(s)) return GoJson.Quote(s, false);
        foreach (char c in s)
            if (c < 0x20 || c == 0x7f) return GoJson.Quote(s, false);
        bool plain = true;
        if ("#,[]{}&*!|>'\"%@`".Contains(s[0])) plain = false;
        if ((s[0] is '-' or '?' or ':') && (s.Length == 1 || s[1] == ' ')) plain = false;
        if (s.Contains(": ") || s.EndsWith(':') || s.Contains(" #") || s[0] == ' ' || s[^1] == ' ') plain = false;
        return plain ? s : "'" + s.Replace("'", "''") + "'";
    }
}
