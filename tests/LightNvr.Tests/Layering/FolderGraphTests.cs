namespace LightNvr.Tests.Layering;

/// <summary>
/// The folders of the appliance depend on each other without a cycle: a new arrow back fails here,
/// naming the references that make it. <c>toolchain/folder-graph.sh</c> draws the graph from the same reading.
/// </summary>
public class FolderGraphTests
{
    private static readonly string Assembly = typeof(LightNvr.AppHost).Assembly.Location;

    [Test]
    public async Task The_folders_of_the_appliance_have_no_cycle()
    {
        var graph = FolderGraph.Read(Assembly);
        var cycles = graph.Cycles();
        var explained = cycles.Select(c => $"cycle {string.Join(" ↔ ", c)}:\n  " + string.Join("\n  ", graph.EdgesWithin(c)));
        if (Environment.GetEnvironmentVariable("FOLDER_GRAPH_OUT") is { Length: > 0 } output)
            await File.WriteAllTextAsync(output, graph.Mermaid());
        await Assert.That(cycles.Count).IsEqualTo(0).Because(string.Join("\n", explained));
    }

    [Test]
    public async Task The_drawing_in_docs_is_the_graph_of_this_build()
    {
        var drawn = await File.ReadAllTextAsync(Support.Repo.PathOf("docs", "folder-graph.mmd"));
        await Assert.That(drawn).IsEqualTo(FolderGraph.Read(Assembly).Mermaid())
            .Because("docs/folder-graph.mmd is stale: run `make folder-graph` and commit it");
    }

    [Test]
    public async Task The_reading_sees_references_in_method_bodies_signatures_and_nested_types()
    {
        var graph = FolderGraph.Read(Assembly);
        // Each of these is known to exist only in that form (a call, a field, a lambda's closure).
        await Assert.That(graph.Edges.Keys).Contains("Go2rtc");
        await Assert.That(graph.Edges[FolderGraph.Root].Keys).Contains("Go2rtc");
        await Assert.That(graph.Edges["Streams"].Keys).Contains("Go2rtc");
        await Assert.That(graph.Edges.Values.SelectMany(e => e.Keys)).DoesNotContain("Tests");
    }

    [Test]
    [Arguments(new[] { "a>b", "b>c" }, "")]
    [Arguments(new[] { "a>b", "b>a" }, "a,b")]
    [Arguments(new[] { "a>b", "b>c", "c>a", "c>d" }, "a,b,c")]
    [Arguments(new[] { "a>b", "b>a", "c>d", "d>c" }, "a,b|c,d")]
    public async Task Cycles_are_the_strongly_connected_groups(string[] edges, string expected)
    {
        var graph = new FolderGraph();
        foreach (var e in edges)
        {
            var (from, to) = (e.Split('>')[0], e.Split('>')[1]);
            graph.Edges.TryAdd(from, new(StringComparer.Ordinal));
            graph.Edges.TryAdd(to, new(StringComparer.Ordinal));
            graph.Edges[from][to] = "";
        }
        var found = string.Join("|", graph.Cycles().Select(c => string.Join(",", c)).Order(StringComparer.Ordinal));
        await Assert.That(found).IsEqualTo(expected);
    }
}
