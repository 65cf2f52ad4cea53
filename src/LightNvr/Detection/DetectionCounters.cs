using LightNvr.Metrics;
using System.Collections.Concurrent;

namespace LightNvr.Detection;

/// <summary>The feed's counters for <c>/metrics</c>. Keys are stream names and labels the person configured or the detector said.</summary>
public sealed class DetectionCounters : IMetricSource
{
    /// <summary>A counter cell: a class keyed by one string, so no generic code over value types is added to the AOT binary.</summary>
    private sealed class Cell(string name, string stream, string extra)
    {
        public readonly string Name = name, Stream = stream, Extra = extra;
        public long Value;
    }

    private readonly ConcurrentDictionary<string, Cell> _counts = new(StringComparer.Ordinal);

    public void Add(string counter, string stream, string extra = "")
    {
        var cell = _counts.GetOrAdd(counter + "\n" + stream + "\n" + extra, _ => new Cell(counter, stream, extra));
        Interlocked.Increment(ref cell.Value);
    }

    public long Get(string counter, string stream, string extra = "") =>
        _counts.TryGetValue(counter + "\n" + stream + "\n" + extra, out var cell) ? Interlocked.Read(ref cell.Value) : 0;

    private static readonly (string Counter, string Metric, string Help, string? Extra)[] Families =
    [
        ("requests", "lightnvr_detect_requests_total", "Frames sent to the detector.", null),
        ("failures", "lightnvr_detect_failures_total", "Detector requests that failed (error, timeout, bad answer).", null),
        ("detections", "lightnvr_detections_total", "Detections of interest, by label.", "label"),
        ("skipped", "lightnvr_detect_skipped_frames_total", "Frame ticks skipped because the previous round was still running.", null),
        ("snapshot_errors", "lightnvr_detect_snapshot_errors_total", "Frames the feed could not get, by cause.", "kind"),
        ("webhook_sent", "lightnvr_detect_webhook_sent_total", "Webhook calls answered with 2xx.", null),
        ("webhook_failed", "lightnvr_detect_webhook_failed_total", "Webhook calls that failed or timed out.", null),
        ("webhook_dropped", "lightnvr_detect_webhook_dropped_total", "Webhook calls dropped because the previous one was still running.", null),
    ];

    public IEnumerable<MetricFamily> Metrics()
    {
        var cells = _counts.Values.ToList();
        foreach (var (counter, metric, help, extra) in Families)
        {
            var samples = cells.Where(c => c.Name == counter).OrderBy(c => c.Stream, StringComparer.Ordinal).ThenBy(c => c.Extra, StringComparer.Ordinal)
                .Select(c => extra is null
                    ? MetricSample.With(Interlocked.Read(ref c.Value), "stream", c.Stream)
                    : new MetricSample(Interlocked.Read(ref c.Value), KeyValuePair.Create("stream", c.Stream), KeyValuePair.Create(extra, c.Extra)))
                .ToList();
            yield return new MetricFamily(metric, help, MetricType.Counter, samples);
        }
    }
}
