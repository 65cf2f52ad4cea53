using System.Collections.Concurrent;
using LightNvr.Health;

namespace LightNvr.Detection;

/// <summary>The feed's counters for <c>/metrics</c>. Keys are stream names and labels the person configured or the detector said.</summary>
public sealed class DetectionCounters : IMetricSource
{
    private readonly ConcurrentDictionary<(string Name, string A, string B), long> _counts = new();

    public void Add(string counter, string stream, string extra = "") => _counts.AddOrUpdate((counter, stream, extra), 1, (_, n) => n + 1);

    public long Get(string counter, string stream, string extra = "") => _counts.GetValueOrDefault((counter, stream, extra));

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
        var snapshot = _counts.ToArray();
        foreach (var (counter, metric, help, extra) in Families)
        {
            var samples = snapshot.Where(kv => kv.Key.Name == counter).OrderBy(kv => kv.Key.A, StringComparer.Ordinal).ThenBy(kv => kv.Key.B, StringComparer.Ordinal)
                .Select(kv => extra is null
                    ? MetricSample.With(kv.Value, "stream", kv.Key.A)
                    : new MetricSample(kv.Value, KeyValuePair.Create("stream", kv.Key.A), KeyValuePair.Create(extra, kv.Key.B)))
                .ToList();
            yield return new MetricFamily(metric, help, MetricType.Counter, samples);
        }
    }
}
