using System.Net;
using System.Text;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Streams;

namespace LightNvr.Frames;

/// <summary>
/// Every snapshot goes through here (the endpoint, thumbnails, detection). Only registered stream
/// names reach go2rtc; concurrent requests for the same stream and size share one upstream call, a
/// result is reused for a second, at most two frame calls run at once, and every call has a deadline.
/// </summary>
public sealed class SnapshotService(AppConfig config, IGo2rtc go2rtc, Go2rtcApi api, StreamSync sync, TimeProvider clock) : Metrics.IMetricSource
{
    private readonly FrameSettings _settings = config.Frames;
    private readonly SemaphoreSlim _upstream = new(config.Frames.Concurrency, config.Frames.Concurrency);
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, int?, int?), Task<FrameResult>> _inFlight = [];
    private readonly Dictionary<(string, int?, int?), FrameResult> _recent = [];
    private readonly FrameCounters _counters = new();
    private ITimer? _sweep;

    /// <summary>Frames held for reuse now. Each is dropped when its reuse window ends: an idle appliance holds no JPEG,
    /// however many sizes or cameras a burst asked for.</summary>
    public int HeldFrames { get { lock (_gate) return _recent.Count; } }

    /// <summary>The last failure per stream (cleared by a good frame), for the status page.</summary>
    public FrameError? LastError(string name) => _counters.LastError(name);

    public IEnumerable<Metrics.MetricFamily> Metrics() => _counters.Metrics();

    public async Task<FrameResult> GetAsync(string name, int? width, int? height, CancellationToken cancel)
    {
        // A configured camera while go2rtc is down is "come back soon" (503), never "no such stream".
        if (go2rtc.Status.Phase != Go2rtcPhase.Ready)
            return sync.Manages(name) ? NotReady(name) : Fail(null, FrameErrorKind.UnknownStream, $"there is no stream named '{name}'");
        if (sync.Desired?.Streams.ContainsKey(name) != true)
            return Fail(null, FrameErrorKind.UnknownStream, $"there is no stream named '{name}'");
        var key = (name, width, height);
        Task<FrameResult> call;
        lock (_gate)
        {
            if (_recent.TryGetValue(key, out var cached) && clock.GetUtcNow() - cached.At < ReuseWindow)
                return cached;
            if (!_inFlight.TryGetValue(key, out call!))
            {
                _counters.Upstream();
                call = FetchAsync(name, width, height);
                _inFlight[key] = call;
            }
        }
        return await call.WaitAsync(cancel);
    }

    private async Task<FrameResult> FetchAsync(string name, int? width, int? height)
    {
        var key = (name, width, height);
        FrameResult result;
        try
        {
            result = await UpstreamAsync(name, width, height);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never an exception to 100 waiting callers: a failure is an answer like any other.
            result = Fail(name, FrameErrorKind.Go2rtcError, e.GetType().Name);
        }
        finally
        {
            lock (_gate) _inFlight.Remove(key);
        }
        lock (_gate)
        {
            _recent[key] = result;
            _sweep ??= clock.CreateTimer(_ => Sweep(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _sweep.Change(ReuseWindow, Timeout.InfiniteTimeSpan);
        }
        if (result.Jpeg is not null) _counters.Good(name);
        return result;
    }

    private TimeSpan ReuseWindow => TimeSpan.FromMilliseconds(_settings.CacheMs);

    private void Sweep()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            foreach (var (key, frame) in _recent)
                if (now - frame.At >= ReuseWindow) _recent.Remove(key);
            if (_recent.Count > 0) _sweep?.Change(ReuseWindow, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task<FrameResult> UpstreamAsync(string name, int? width, int? height)
    {
        var deadline = TimeSpan.FromMilliseconds(_settings.DeadlineMs);
        var started = clock.GetTimestamp();
        if (!await _upstream.WaitAsync(deadline))
            return Fail(name, FrameErrorKind.NoKeyframe, "waited too long for a free frame slot");
        try
        {
            var query = new StringBuilder("src=").Append(Uri.EscapeDataString(name));
            if (width is > 0) query.Append("&w=").Append(width);
            if (height is > 0) query.Append("&h=").Append(height);
            // go2rtc ≥ 1.9.14 can hand back a recent keyframe itself (sleepy cameras, reconnecting producers).
            // Its cache is keyed by src alone, not by size, so a sized request goes without it.
            if (width is not > 0 && height is not > 0 && Go2rtcVersion.Parse(go2rtc.Status.Version)?.AtLeast(1, 9, 14) == true)
                query.Append("&cache=").Append(Math.Max(1, _settings.CacheMs / 1000)).Append('s');
            var left = deadline - clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return Fail(name, FrameErrorKind.NoKeyframe, "waited too long for a free frame slot");
            var reply = await api.GetFrameAsync(query.ToString(), left, _settings.MaxBytes, CancellationToken.None);
            return Classify(name, reply);
        }
        finally
        {
            _upstream.Release();
        }
    }

    private FrameResult NotReady(string name) =>
        Fail(name, FrameErrorKind.Restarting, $"go2rtc is {go2rtc.Status.Phase.ToString().ToLowerInvariant()}");

    private FrameResult Classify(string name, Go2rtcApi.FrameReply r)
    {
        // go2rtc went away during the call (exit, restart): that is what the caller must hear.
        if (r.TimedOut && go2rtc.Status.Phase != Go2rtcPhase.Ready) return NotReady(name);
        if (r.TimedOut) return Fail(name, FrameErrorKind.NoKeyframe, $"no frame within {_settings.DeadlineMs} ms");
        if (r.TooLarge) return Fail(name, FrameErrorKind.TooLarge, $"the frame is over {_settings.MaxBytes} bytes");
        if (r.Status == HttpStatusCode.NotFound) return Fail(name, FrameErrorKind.UnknownStream, "go2rtc does not know the stream");
        if (r.Status != HttpStatusCode.OK)
            return Fail(name, FrameErrorKind.Go2rtcError, Logging.Redactor.Redact(Encoding.UTF8.GetString(r.Body).Trim()) is { Length: > 0 } t ? t : $"HTTP {(int)r.Status}");
        if (r.Body.Length == 0) return Fail(name, FrameErrorKind.CameraUnreachable, "go2rtc answered with an empty frame");
        if (JpegCheck.Inspect(r.Body) is null) return Fail(name, FrameErrorKind.NotJpeg, $"{r.Body.Length} bytes that are not a JPEG");
        return new FrameResult(r.Body, null, clock.GetUtcNow());
    }

    private FrameResult Fail(string? name, FrameErrorKind kind, string detail)
    {
        var error = new FrameError(kind, detail);
        _counters.Failed(name, error);
        return new(null, error, clock.GetUtcNow());
    }
}
