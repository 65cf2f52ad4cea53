using LightNvr.Config;
using System.Text.Json;
using LightNvr.Frames;
using LightNvr.Streams;

namespace LightNvr.Detection;

/// <summary>
/// One camera's loop: a frame from the snapshot service (never its own go2rtc call), one detector
/// request at a time, ticks that fall inside a slow round skipped, backoff after failures.
/// </summary>
internal sealed class CameraFeed(
    string stream, DetectSettings settings, SnapshotService snapshots, DetectorClient client, DetectionStore store,
    FeedTiming timing, TimeProvider clock, ILogger log)
{
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(settings.IntervalMs);
    private readonly double _threshold = settings.ThresholdValue() ?? 0.5;
    private int _webhookBusy;

    public async Task RunAsync(CancellationToken stop)
    {
        var state = CameraDetection.Off with { Health = DetectorHealth.Ok };
        store.Set(stream, state);
        while (!stop.IsCancellationRequested)
        {
            if (state.BackoffUntil is { } until && until - clock.GetUtcNow() is var left && left > TimeSpan.Zero)
            {
                await Task.Delay(left, clock, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            var started = clock.GetTimestamp();
            try
            {
                state = await RoundAsync(state, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug in one round must not end detection for this camera for good.
                log.LogWarning("detection round for {Stream} failed: {Error}", stream, e.Message);
                state = Failed(state, "internal error: " + e.GetType().Name);
            }
            store.Set(stream, state);
            var (wait, skipped) = FeedRules.AfterRound(clock.GetElapsedTime(started), _interval);
            for (var i = 0; i < skipped; i++) store.Counters.Add("skipped", stream);
            await Task.Delay(wait, clock, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<CameraDetection> RoundAsync(CameraDetection state, CancellationToken stop)
    {
        var frame = await snapshots.GetAsync(stream, null, null, stop);
        if (frame.Jpeg is not { } jpeg)
        {
            // No frame is not the detector's fault: counted, and the detector's state stays as it was.
            store.Counters.Add("snapshot_errors", stream, frame.Error!.Code);
            return state;
        }
        var size = JpegCheck.Inspect(jpeg);
        store.Counters.Add("requests", stream);
        var answer = await client.DetectAsync(settings.Url, _threshold, jpeg, timing.RequestTimeout, stop);
        var parsed = answer.Body is { } body ? DetectorReply.Parse(body, size?.Width ?? 0, size?.Height ?? 0) : new(null, answer.Error);
        if (parsed.Detections is not { } all) return Failed(state, parsed.Error!);

        var now = clock.GetUtcNow();
        var kept = FeedRules.OfInterest(all, _threshold, settings.Labels);
        if (kept.Count > 0)
        {
            var events = kept.Select(d => new DetectionEvent(now, stream, d.Label, d.Confidence, d.Box)).ToList();
            store.Events.Add(events);
            foreach (var d in kept) store.Counters.Add("detections", stream, d.Label);
            if (settings.Webhook is { } hook) SendWebhook(hook, events, stop);
        }
        return new CameraDetection(DetectorHealth.Ok, null, now, kept, 0, null);
    }

    private CameraDetection Failed(CameraDetection state, string error)
    {
        store.Counters.Add("failures", stream);
        var failures = state.Failures + 1;
        var backoff = FeedRules.Backoff(failures, _interval, timing.BackoffCap);
        if (failures == 1) log.LogWarning("detector for {Stream} failed: {Error}; retrying with backoff", stream, error);
        return state with { Health = DetectorHealth.Failing, Error = error, Failures = failures, BackoffUntil = clock.GetUtcNow() + backoff };
    }

    /// <summary>At most one webhook call in flight per camera; when it is busy the event is dropped, never queued.</summary>
    private void SendWebhook(string url, List<DetectionEvent> events, CancellationToken stop)
    {
        if (Interlocked.CompareExchange(ref _webhookBusy, 1, 0) != 0)
        {
            store.Counters.Add("webhook_dropped", stream);
            return;
        }
        var json = JsonSerializer.Serialize(new WebhookPayload(stream, events[0].Time, events.Select(EventView.Of).ToList()),
            DetectionJson.Default.WebhookPayload);
        _ = Task.Run(async () =>
        {
            try
            {
                var ok = await client.PostJsonAsync(url, json, timing.WebhookTimeout, stop);
                store.Counters.Add(ok ? "webhook_sent" : "webhook_failed", stream);
            }
            finally
            {
                Volatile.Write(ref _webhookBusy, 0);
            }
        }, CancellationToken.None);
    }
}

/// <summary>Deadlines of the feed; tests shorten them.</summary>
public sealed class FeedTiming
{
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
