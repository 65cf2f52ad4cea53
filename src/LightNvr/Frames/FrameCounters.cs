using System.Collections.Concurrent;
using LightNvr.Health;

namespace LightNvr.Frames;

/// <summary>What the snapshot service did, for <c>/metrics</c> and the status page.</summary>
internal sealed class FrameCounters
{
    private long _upstream;
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FrameError> _last = new(StringComparer.Ordinal);

    public void Upstream() => Interlocked.Increment(ref _upstream);

    public void Failed(string? stream, FrameError error)
    {
        _errors.AddOrUpdate(error.Code, 1, (_, n) => n + 1);
        if (stream is not null) _last[stream] = error;
    }

    public void Good(string stream) => _last.TryRemove(stream, out _);

    public FrameError? LastError(string stream) => _last.GetValueOrDefault(stream);

    public IEnumerable<MetricFamily> Metrics()
    {
        yield return new MetricFamily("lightnvr_snapshot_upstream_calls_total", "frame.jpeg calls made to go2rtc.", MetricType.Counter,
            [new(Interlocked.Read(ref _upstream))]);
        // Every kind is written, zero included, so a dashboard sees the series before the first failure.
        yield return new MetricFamily("lightnvr_snapshot_errors_total", "Snapshots that failed, by cause.", MetricType.Counter,
            Enum.GetValues<FrameErrorKind>().Select(k => new FrameError(k, "").Code)
                .Select(code => MetricSample.With(_errors.GetValueOrDefault(code), "kind", code)).ToList());
    }
}
