namespace LightNvr.Metrics;

/// <summary>The managed heap as the GC saw it after its last collection: what a board's memory goes to, without a debugger.</summary>
public static class GcMetrics
{
    private static readonly string[] Generations = ["0", "1", "2", "large", "pinned"];

    public static IEnumerable<MetricFamily> Of(GCMemoryInfo info, long collections, long allocated)
    {
        yield return new MetricFamily("lightnvr_gc_heap_bytes", "Managed heap size after the last collection, by generation.", MetricType.Gauge,
            info.GenerationInfo.ToArray().Select((g, i) => MetricSample.With(g.SizeAfterBytes, "generation", i < Generations.Length ? Generations[i] : i.ToString())).ToList());
        yield return new MetricFamily("lightnvr_gc_committed_bytes", "Memory the GC holds from the system.", MetricType.Gauge, [new(info.TotalCommittedBytes)]);
        yield return new MetricFamily("lightnvr_gc_fragmented_bytes", "Free space inside the heap after the last collection.", MetricType.Gauge, [new(info.FragmentedBytes)]);
        yield return new MetricFamily("lightnvr_gc_collections_total", "Garbage collections since start.", MetricType.Counter, [new(collections)]);
        yield return new MetricFamily("lightnvr_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.", MetricType.Counter, [new(allocated)]);
    }

    public static IEnumerable<MetricFamily> Now() => Of(GC.GetGCMemoryInfo(), GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
}
