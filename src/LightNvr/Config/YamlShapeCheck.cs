using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace LightNvr.Config;

/// <summary>
/// Walks a YAML document against the shape of a type known to a static YamlDotNet context and
/// collects every problem (syntax, unknown key with the nearest known one, wrong kind of value),
/// not only the first. It also records where each field sits so later rules can point at it.
/// The known keys come from the generated type inspector: no reflection, one source of truth.
/// </summary>
public static class YamlShapeCheck
{
    /// <param name="Usable">The document with every faulty entry removed, so the meaning checks can
    /// still run over the rest and a person sees all errors at once; null when the syntax is broken.</param>
    public sealed record Result(IReadOnlyList<ConfigError> Errors, IReadOnlyDictionary<string, Mark> Marks, string? Usable);

    /// <summary>The longest text value any key takes (PATH_MAX for paths; rules bound most fields tighter).</summary>
    public const int MaxTextLength = 4096;

    public static Result Check(string text, string file, Type root, StaticContext context, INamingConvention naming)
    {
        var errors = new List<ConfigError>();
        var marks = new Dictionary<string, Mark>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(file, (int)e.Start.Line, (int)e.Start.Column, "(syntax)", Plain(e)));
            return new Result(errors, marks, null);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return new Result(errors, marks, ""); // an empty file means "all defaults"
        if (stream.Documents.Count > 1)
            errors.Add(At(file, stream.Documents[1].RootNode, "(document)", "only one YAML document is allowed"));
        var walker = new Walker(file, context, naming, errors, marks);
        if (!walker.Walk(stream.Documents[0].RootNode, root, "")) return new Result(errors, marks, "");
        var usable = new StringWriter();
        new YamlStream(stream.Documents[0]).Save(usable, assignAnchors: false);
        return new Result(errors, marks, usable.ToString());
    }

    private static string Plain(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (…): "; we give the position ourselves.
        var m = e.InnerException?.Message ?? e.Message;
        var cut = m.LastIndexOf("): ", StringComparison.Ordinal);
        return "syntax error: " + (cut >= 0 ? m[(cut + 3)..] : m);
    }

    internal static ConfigError At(string file, YamlNode node, string path, string message) =>
        new(file, (int)node.Start.Line, (int)node.Start.Column, path, message);

    private sealed class Walker(string file, StaticContext context, INamingConvention naming,
        List<ConfigError> errors, Dictionary<string, Mark> marks)
    {
        /// <summary>Checks a node; false when it is unusable and must be pruned from its parent.</summary>
        public bool Walk(YamlNode node, Type type, string path)
        {
            if (path.Length > 0) marks[path] = node.Start;
            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (ListElement(underlying) is { } element) return WalkList(node, element, path);
            if (underlying == typeof(string)) return ExpectText(node, path);
            if (underlying == typeof(int))
                return ExpectScalar(node, path, "a whole number",
                    v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
            if (underlying == typeof(bool)) return ExpectScalar(node, path, "true or false", v => bool.TryParse(v, out _));
            return WalkObject(node, underlying, path);
        }

        private static Type? ListElement(Type t) =>
            t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? t.GetGenericArguments()[0] : null;

        private bool WalkList(YamlNode node, Type element, string path)
        {
            if (node is YamlScalarNode { Value: null or "" or "~" }) return true;
            if (node is not YamlSequenceNode seq)
            {
                errors.Add(At(file, node, path, $"expected a list, found {Describe(node)}"));
                return false;
            }
            var bad = seq.Children.Where((child, i) => !Walk(child, element, $"{path}[{i}]")).ToList();
            foreach (var child in bad) seq.Children.Remove(child);
            return true;
        }

        private bool WalkObject(YamlNode node, Type type, string path)
        {
            if (node is YamlScalarNode { Value: null or "" or "~" }) return true;
            if (node is not YamlMappingNode map)
            {
                errors.Add(At(file, node, Display(path), $"expected a section of keys, found {Describe(node)}"));
                return false;
            }
            var bad = new List<YamlNode>();
            var known = context.GetTypeInspector().GetProperties(type, null)
                .ToDictionary(p => naming.Apply(p.Name), p => p.Type, StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                var child = path.Length == 0 ? key : $"{path}.{key}";
                if (!known.TryGetValue(key, out var childType))
                {
                    if (BoardRules.Retired.TryGetValue(child, out var replacement))
                    {
                        errors.Add(At(file, keyNode, child, replacement));
                        bad.Add(keyNode);
                        continue;
                    }
                    var hint = Suggest.Nearest(key, known.Keys) is { } near ? $"; did you mean `{near}`?" : "";
                    errors.Add(At(file, keyNode, child, $"unknown key{hint} (known: {string.Join(", ", known.Keys)})"));
                    bad.Add(keyNode);
                    continue;
                }
                if (!Walk(value, childType, child)) bad.Add(keyNode);
            }
            foreach (var key in bad) map.Children.Remove(key);
            return true;
        }

        /// <summary>Any text, bounded: a 10 MB value or a NUL (it would cut a path short in every syscall) is refused.</summary>
        private bool ExpectText(YamlNode node, string path)
        {
            if (!ExpectScalar(node, path, "text", _ => true)) return false;
            var value = ((YamlScalarNode)node).Value ?? "";
            string? problem = value.Length > MaxTextLength ? $"is {value.Length} characters long, the limit is {MaxTextLength}"
                : value.Contains('\0') ? "contains a NUL character" : null;
            if (problem is null) return true;
            errors.Add(At(file, node, path, problem));
            return false;
        }

        private bool ExpectScalar(YamlNode node, string path, string expected, Func<string, bool> ok)
        {
            if (node is YamlScalarNode scalar && (scalar.Value is null || ok(scalar.Value))) return true;
            errors.Add(At(file, node, path, $"expected {expected}, found {Describe(node)}"));
            return false;
        }

        private static string Display(string path) => path.Length == 0 ? "(top level)" : path;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a section of keys",
        _ => node.NodeType.ToString(),
    };
}
