using LightNvr.Metrics;

namespace LightNvr.Tests.Health;

public class GcMetricsTests
{
    [Test]
    public async Task A_large_array_kept_alive_shows_in_the_large_generation_and_in_committed_memory()
    {
        var kept = new byte[4 * 1024 * 1024];
        kept[^1] = 1;
        GC.Collect();
        var families = GcMetrics.Now().ToList();
        GC.KeepAlive(kept);

        var heap = families.Single(f => f.Name == "lightnvr_gc_heap_bytes");
        var byGeneration = heap.Samples.ToDictionary(s => s.Labels[0].Value, s => s.Value);
        await Assert.That(byGeneration.Keys.Take(5)).IsEquivalentTo(new[] { "0", "1", "2", "large", "pinned" });
        await Assert.That(byGeneration["large"]).IsGreaterThanOrEqualTo(kept.Length);
        var committed = families.Single(f => f.Name == "lightnvr_gc_committed_bytes").Samples[0].Value;
        await Assert.That(committed).IsGreaterThanOrEqualTo(byGeneration.Values.Sum());
        await Assert.That(PrometheusText.Write(families)).Contains("lightnvr_gc_heap_bytes{generation=\"large\"}");
    }
}
