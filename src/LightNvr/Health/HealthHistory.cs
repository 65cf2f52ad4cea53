using LightNvr.Go2rtc;

namespace LightNvr.Health;

/// <summary>One notable health event: a go2rtc phase change, a restart with its reason, a camera going up or down.</summary>
public sealed record HealthEvent(DateTimeOffset At, string Kind, string Subject, string Text);

/// <summary>
/// A bounded ring of notable events for the diagnostics bundle and the status page. Fed by
/// <see cref="HealthHistoryRecorder"/>, which diffs consecutive snapshots with <see cref="Changes"/>.
/// </summary>
public sealed class HealthHistory(int capacity = 200)
{
    private readonly Lock _gate = new();
    private readonly Queue<HealthEvent> _events = new();

    public int Capacity { get; } = capacity;

    public void Add(IEnumerable<HealthEvent> events)
    {
        lock (_gate)
            foreach (var e in events)
            {
                _events.Enqueue(e);
                while (_events.Count > Capacity) _events.Dequeue();
            }
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<HealthEvent> Events { get { lock (_gate) return [.. _events]; } }

    /// <summary>What changed between two snapshots (pure). A null previous snapshot is the empty start.</summary>
    public static IEnumerable<HealthEvent> Changes(HealthSnapshot? previous, HealthSnapshot next)
    {
        var before = previous?.Go2rtc;
        if (before is null || before.Phase != next.Go2rtc.Phase)
            yield return new HealthEvent(next.At, "go2rtc", "phase",
                $"{before?.Phase.ToString() ?? "(start)"} → {next.Go2rtc.Phase}" + (next.Go2rtc.Message.Length > 0 ? $": {next.Go2rtc.Message}" : ""));
        var lastRestart = previous?.Restarts.Count > 0 ? previous.Restarts[^1].At : DateTimeOffset.MinValue;
        foreach (var r in next.Restarts.Where(r => r.At > lastRestart))
            yield return new HealthEvent(r.At, "restart", RestartReasons.Word(r.Reason),
                $"go2rtc restart ({RestartReasons.Word(r.Reason)}): {r.Outcome.ToString().ToLowerInvariant()}" + (r.IsRetry ? " (retry)" : ""));
        var old = previous?.Streams.ToDictionary(s => s.Camera, StringComparer.Ordinal) ?? [];
        foreach (var s in next.Streams)
        {
            var was = old.GetValueOrDefault(s.Camera)?.State;
            if (was == s.State || (was is null && s.State == Liveness.Starting)) continue;
            var up = s.State == Liveness.Live;
            if (!up && was != Liveness.Live && s.State is not (Liveness.Stalled or Liveness.Error or Liveness.Unreachable)) continue; // only up/down edges
            yield return new HealthEvent(next.At, up ? "stream-up" : "stream-down", s.Camera,
                $"{s.Camera}: {s.State.ToString().ToLowerInvariant()}" + (s.Why is { Length: > 0 } why ? $" ({why})" : ""));
        }
        var names = next.Streams.Select(s => s.Camera).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in old.Keys.Where(k => !names.Contains(k) && next.Go2rtc.Phase == Go2rtcPhase.Ready))
            yield return new HealthEvent(next.At, "stream-removed", gone, $"{gone}: no longer watched");
    }
}

/// <summary>
/// Records what changed each time the loop publishes a snapshot. It waits on the publish signal instead of
/// looking once a second: an idle appliance with nothing new to record then never wakes for it.
/// </summary>
public sealed class HealthHistoryRecorder(HealthLoop health, HealthHistory history, TimeProvider clock, ILogger<HealthHistoryRecorder> log)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stop) =>
        Hosting.GuardedLoop.RunAsync("the health history", RecordAsync, log, clock, stop);

    private async Task RecordAsync(CancellationToken stop)
    {
        HealthSnapshot? last = null;
        var stopped = Task.Delay(Timeout.Infinite, stop);
        while (!stop.IsCancellationRequested)
        {
            var changed = health.SnapshotChanged; // taken before the snapshot is read: no publish is missed
            var now = health.Snapshot;
            if (!ReferenceEquals(now, last) && now.At != DateTimeOffset.UnixEpoch) // the initial placeholder is no event
            {
                history.Add(HealthHistory.Changes(last, now));
                last = now;
            }
            await Task.WhenAny(changed, stopped);
        }
    }
}
