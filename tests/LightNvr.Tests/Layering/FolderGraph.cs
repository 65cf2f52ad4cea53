using Mono.Cecil;
using Mono.Cecil.Cil;

namespace LightNvr.Tests.Layering;

/// <summary>
/// Which folder of the appliance uses which, read from the compiled assembly (every type named in a
/// signature, a base type, an attribute or a method body), so nothing a `using` hides is missed.
/// A folder is the first namespace segment under <c>LightNvr</c>; the root namespace is "(root)".
/// </summary>
public sealed class FolderGraph
{
    public const string Root = "(root)";
    private const string Prefix = "LightNvr";

    /// <summary>Folder → folders it uses, each edge with one example "Type → Type" that makes it.</summary>
    public SortedDictionary<string, SortedDictionary<string, string>> Edges { get; } = new(StringComparer.Ordinal);

    public static FolderGraph Read(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var graph = new FolderGraph();
        foreach (var type in module.GetTypes())
        {
            var from = FolderOf(type);
            if (from is null) continue;
            graph.Edges.TryAdd(from, new(StringComparer.Ordinal));
            foreach (var used in UsedBy(type))
                if (FolderOf(used) is { } to && to != from)
                    graph.Edges[from].TryAdd(to, $"{Name(type)} → {Name(used)}");
        }
        return graph;
    }

    /// <summary>The folder a type lives in, or null when it is not one of ours.</summary>
    public static string? FolderOf(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        if (type is GenericInstanceType g) type = g.ElementType;
        var ns = type.Namespace;
        if (ns == Prefix) return Root;
        if (!ns.StartsWith(Prefix + ".", StringComparison.Ordinal)) return ns.Length == 0 && IsOurs(type) ? Root : null;
        var rest = ns[(Prefix.Length + 1)..];
        var dot = rest.IndexOf('.');
        return dot < 0 ? rest : rest[..dot];
    }

    /// <summary>Cycles as folder lists (each one a strongly connected group of two or more folders).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var groups = new List<IReadOnlyList<string>>();
        var next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Edges.GetValueOrDefault(v)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var group = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); group.Add(x); } while (x != v);
            if (group.Count > 1) groups.Add(group.Order(StringComparer.Ordinal).ToList());
        }
        foreach (var v in Edges.Keys) if (!index.ContainsKey(v)) Visit(v);
        return groups;
    }

    /// <summary>The edges inside one group, with their example references: what to cut.</summary>
    public IEnumerable<string> EdgesWithin(IReadOnlyCollection<string> group) =>
        from source in @group
        from edge in Edges.GetValueOrDefault(source) ?? new(StringComparer.Ordinal)
        where @group.Contains(edge.Key)
        select $"{source} → {edge.Key} ({edge.Value})";

    /// <summary>A Mermaid drawing of the graph (folders with no arrows are listed too).</summary>
    public string Mermaid()
    {
        var lines = new List<string> { "graph TD" };
        foreach (var (from, tos) in Edges)
        {
            if (tos.Count == 0) lines.Add($"  {Id(from)}[\"{from}\"]");
            foreach (var to in tos.Keys) lines.Add($"  {Id(from)}[\"{from}\"] --> {Id(to)}[\"{to}\"]");
        }
        return string.Join('\n', lines) + "\n";
    }

    private static string Id(string folder) => folder == Root ? "root" : folder;

    private static bool IsOurs(TypeReference type) => type.Module?.Assembly?.Name.Name == "LightNvr" && type.Scope is ModuleDefinition;

    private static string Name(TypeReference t)
    {
        while (t.DeclaringType is not null && t.Name.StartsWith('<')) t = t.DeclaringType;
        return t.DeclaringType is { } d ? $"{Name(d)}.{t.Name}" : t.Name;
    }

    private static IEnumerable<TypeReference> UsedBy(TypeDefinition type)
    {
        if (type.BaseType is not null) foreach (var t in Expand(type.BaseType)) yield return t;
        foreach (var i in type.Interfaces) foreach (var t in Expand(i.InterfaceType)) yield return t;
        foreach (var a in type.CustomAttributes) foreach (var t in Attribute(a)) yield return t;
        foreach (var f in type.Fields)
        {
            foreach (var t in Expand(f.FieldType)) yield return t;
            foreach (var a in f.CustomAttributes) foreach (var t in Attribute(a)) yield return t;
        }
        foreach (var p in type.Properties)
        {
            foreach (var t in Expand(p.PropertyType)) yield return t;
            foreach (var a in p.CustomAttributes) foreach (var t in Attribute(a)) yield return t;
        }
        foreach (var m in type.Methods)
        {
            foreach (var t in Expand(m.ReturnType)) yield return t;
            foreach (var p in m.Parameters) foreach (var t in Expand(p.ParameterType)) yield return t;
            foreach (var a in m.CustomAttributes) foreach (var t in Attribute(a)) yield return t;
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) foreach (var t in Expand(v.VariableType)) yield return t;
            foreach (var ins in m.Body.Instructions)
                foreach (var t in Operand(ins)) yield return t;
        }
    }

    private static IEnumerable<TypeReference> Operand(Instruction ins) => ins.Operand switch
    {
        TypeReference t => Expand(t),
        MethodReference m => Expand(m.DeclaringType).Concat(Expand(m.ReturnType)).Concat(m.Parameters.SelectMany(p => Expand(p.ParameterType)))
            .Concat(m is GenericInstanceMethod g ? g.GenericArguments.SelectMany(Expand) : []),
        FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
        _ => [],
    };

    private static IEnumerable<TypeReference> Attribute(CustomAttribute a) =>
        Expand(a.AttributeType).Concat(a.ConstructorArguments.Select(c => c.Value).OfType<TypeReference>().SelectMany(Expand));

    /// <summary>A type and every type inside it (generic arguments, array and pointer elements).</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference? t)
    {
        if (t is null) yield break;
        switch (t)
        {
            case GenericInstanceType g:
                foreach (var x in Expand(g.ElementType)) yield return x;
                foreach (var arg in g.GenericArguments) foreach (var x in Expand(arg)) yield return x;
                break;
            case TypeSpecification s:
                foreach (var x in Expand(s.ElementType)) yield return x;
                break;
            case Mono.Cecil.GenericParameter:
                break;
            default:
                yield return t;
                break;
        }
    }
}
