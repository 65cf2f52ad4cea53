using LightNvr.Metrics;
using System.Collections.Concurrent;

namespace LightNvr.Frames;

/// <summary>What the snapshot service did, for <c>/metrics</c> and the status page.</summary>
internal sealed class FrameCounters
{
    private long _upstream;
    // Indexed by FrameErrorKind: arrays, not a value-typed dictionary (each generic instantiation over a
    // value type is new native code in the AOT binary, and the arm64 binary has a size limit).
    private static readonly FrameErrorKind[] Kinds = Enum.GetValues<FrameErrorKind>();
    private readonly long[] _errors = new long[Kinds.Length];
    private readonly ConcurrentDictionary<string, FrameError> _last = new(StringComparer.Ordinal);

    public void Upstream() => Interlocked.Increment(ref _upstream);

    public void Failed(string? stream, FrameError error)
    {
        Interlocked.Increment(ref _errors[(int)error.Kind]);
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
            Kinds.Select(k => MetricSample.With(Interlocked.Read(ref _errors[(int)k]), "kind", new FrameError(k, "").Code)).ToList());
    }
}
