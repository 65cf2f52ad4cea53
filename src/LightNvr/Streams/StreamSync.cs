using LightNvr.Go2rtc;
using LightNvr.Hosting;

namespace LightNvr.Streams;

/// <summary>
/// Keeps go2rtc's streams equal to the enabled cameras. One code path for everything: when it sees a new
/// go2rtc generation (a start or an in-place restart), after every camera change, and every 60 s, it
/// lists go2rtc's streams, plans with <see cref="Reconciler"/>, and applies the actions one at a time.
/// It reads go2rtc's published status and is never called back by the supervisor.
/// </summary>
public sealed partial class StreamSync : BackgroundService, IStreams
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(60);

    private readonly CameraList _cameras;
    private readonly IGo2rtc _go2rtc;
    private readonly IGo2rtcClient _api;
    private readonly ConfigStreamsFromCameras _written;
    private readonly ILogger<StreamSync> _log;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Published<StreamsState> _state = new(StreamsState.Empty);
    private Registered _registered = Registered.Empty;
    private int _seenGeneration;

    public StreamSync(CameraList cameras, IGo2rtc go2rtc, IGo2rtcClient api, ConfigStreamsFromCameras written, ILogger<StreamSync> log, TimeProvider clock)
    {
        _cameras = cameras;
        _go2rtc = go2rtc;
        _api = api;
        _written = written;
        _log = log;
        _clock = clock;
    }

    public StreamsState State => _state.Current;

    /// <summary>Completes at the next change of <see cref="State"/>.</summary>
    public Task StateChanged => _state.Changed;

    public IReadOnlyDictionary<string, StreamState> States => State.States;
    public IReadOnlyDictionary<string, string> DialErrors => State.DialErrors;
    public DesiredStreams? Desired => State.Desired;
    public double? LastRegistrationMs => State.LastRegistrationMs;

    /// <summary>
    /// Whether <paramref name="name"/> is one of our streams: in the last plan, or, before go2rtc was ever
    /// ready (no plan yet) or for a camera added while it is down, an enabled camera or its _sub.
    /// </summary>
    public bool Manages(string name)
    {
        if (Desired?.Streams.ContainsKey(name) == true) return true;
        foreach (var c in _cameras.Current.Cameras)
            if (c.Enabled && (c.Name == name || (c.SubUrl is not null && SourceBuilder.SubName(c.Name) == name))) return true;
        return false;
    }

    protected override Task ExecuteAsync(CancellationToken stop) =>
        GuardedLoop.RunAsync("stream sync", SyncLoopAsync, _log, _clock, stop);

    private async Task SyncLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period, _clock);
        var tick = timer.WaitForNextTickAsync(stop).AsTask();
        var cameras = _cameras.Changed;
        var due = false;
        while (!stop.IsCancellationRequested)
        {
            // Each signal is taken before the state it guards is read: a change during a pass wakes the loop again.
            var go2rtcChanged = _go2rtc.StatusChanged;
            var status = _go2rtc.Status;
            try
            {
                if (status.Phase == Go2rtcPhase.Ready && status.Generation != _seenGeneration)
                {
                    _seenGeneration = status.Generation;
                    await AfterStartAsync(status.Generation, stop);
                }
                else if (due && status.Phase == Go2rtcPhase.Ready) await ReconcileAsync(status.Generation, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested) { _log.LogError(e, "reconcile pass"); }
            due = false;
            var done = await Task.WhenAny(cameras, tick, go2rtcChanged, Task.Delay(Timeout.Infinite, stop));
            if (stop.IsCancellationRequested) break;
            if (done == tick) { tick = timer.WaitForNextTickAsync(stop).AsTask(); due = true; }
            if (done == cameras) { cameras = _cameras.Changed; due = true; }
        }
    }

    private async Task AfterStartAsync(int generation, CancellationToken stop)
    {
        var started = _clock.GetTimestamp();
        await _gate.WaitAsync(stop);
        try
        {
            // A fresh go2rtc read its streams from the config written at its start; an in-place restart re-read
            // the same file (with go2rtc's write-backs of our calls). Either way, verify and fill gaps.
            var written = _written.TakeWritten();
            _registered = written is not null ? Seed(written, generation) : Relabel(_registered, generation);
        }
        finally
        {
            _gate.Release();
        }
        await ReconcileAsync(generation, stop);
        var ms = Math.Round(_clock.GetElapsedTime(started).TotalMilliseconds, 1);
        _state.Update(s => s with { LastRegistrationMs = ms });
    }

    private static Registered Seed(IReadOnlyDictionary<string, IReadOnlyList<string>> streams, long generation) =>
        streams.Aggregate(Registered.Empty with { Generation = generation },
            (r, s) => r.After(new StreamAction.Put(s.Key, s.Value), generation));

    private static Registered Relabel(Registered r, long generation) => r with { Generation = generation };

    /// <summary>One pass: list, plan, apply. Safe to call from anywhere; passes never overlap.</summary>
    public async Task ReconcileAsync(long generation, CancellationToken stop)
    {
        await _gate.WaitAsync(stop);
        try
        {
            var load = _cameras.Current;
            var version = Go2rtcVersion.Parse(_go2rtc.Status.Version) ?? Go2rtcVersion.Minimum;
            var desired = DesiredStreams.From(load.Cameras, version, load.RefusedNames);
            // A removed camera's old dial failure must not greet a new one of the same name.
            _state.Update(s => s with
            {
                Desired = desired,
                DialErrors = s.DialErrors.Where(e => desired.Streams.ContainsKey(e.Key)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            });
            if (!load.Readable) return; // the list is unknown: change nothing in go2rtc
            var api = _api;
            if (await api.ListStreamsAsync(stop) is not { } observed)
            {
                _log.LogWarning("go2rtc did not list its streams; the next pass tries again");
                return;
            }
            var plan = Reconciler.Plan(desired, observed.ToDictionary(o => o.Key, o => (IReadOnlyList<string>?)o.Value.ProducerUrls.OfType<string>().ToList()),
                _registered, generation);
            var states = new Dictionary<string, StreamState>(StringComparer.Ordinal);
            foreach (var action in plan)
            {
                var outcome = action switch
                {
                    StreamAction.Put put => await api.PutStreamAsync(SourceBuilder.QueryFor(put.Name, put.Sources), stop),
                    StreamAction.Delete delete => await api.DeleteStreamAsync(delete.Name, stop),
                    _ => ApiOutcome.Ok,
                };
                if (outcome.Applied) _registered = _registered.After(action, generation);
                if (action is StreamAction.Put p)
                    states[p.Name] = new StreamState(outcome.Applied, outcome.Error, outcome.Warning, _clock.GetUtcNow());
                if (!outcome.Applied) _log.LogError("{Action}: {Error}", action, outcome.Error);
                else if (outcome.Warning is not null) _log.LogWarning("{Action}: {Warning}", action, outcome.Warning);
                else _log.LogInformation("{Action}", action);
            }
            foreach (var name in desired.Streams.Keys)
            {
                if (states.ContainsKey(name)) continue;
                var previous = States.GetValueOrDefault(name);
                states[name] = _registered.Streams.ContainsKey(name)
                    ? new StreamState(true, Warning: previous?.Warning, Since: previous?.Since ?? _clock.GetUtcNow())
                    : new StreamState(false, previous?.Error ?? "not registered yet");
            }
            _state.Update(s => s with { States = states });
            // Preload dials the camera; an unreachable one must not hold up this pass or the next one.
            _ = Task.Run(() => PreloadAsync(desired, plan, api, stop), stop);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Re-registers streams (DELETE then PUT) to heal a stalled producer; go2rtc itself is left alone.</summary>
    public async Task ReregisterAsync(IReadOnlyList<string> names, CancellationToken stop)
    {
        await _gate.WaitAsync(stop);
        var plan = new List<StreamAction>();
        var generation = _go2rtc.Status.Generation;
        try
        {
            var desired = Desired;
            if (desired is null) return;
            var api = _api;
            foreach (var name in names)
            {
                if (!desired.Streams.TryGetValue(name, out var d)) continue;
                await api.DeleteStreamAsync(name, stop);
                var put = new StreamAction.Put(name, d.Sources);
                var outcome = await api.PutStreamAsync(SourceBuilder.QueryFor(name, d.Sources), stop);
                if (outcome.Applied)
                {
                    _registered = _registered.After(put, generation);
                    plan.Add(put);
                    var state = new StreamState(true, Warning: outcome.Warning, Since: _clock.GetUtcNow());
                    _state.Update(s => s with { States = new Dictionary<string, StreamState>(s.States, StringComparer.Ordinal) { [name] = state } });
                }
                _log.LogWarning("re-registered {Name}: {Outcome}", name, outcome.Applied ? "ok" : outcome.Error);
            }
            _ = Task.Run(() => PreloadAsync(desired, plan, api, stop), stop);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>go2rtc dials the camera to preload it: a dial failure is remembered with go2rtc's words, a success forgets it.</summary>
    private void NoteDial(string name, ApiOutcome outcome)
    {
        var reason = outcome.Applied ? null : DialFailure.Reason(outcome.Error);
        if (!outcome.Applied && reason is null) return; // another failure (go2rtc busy, timeout): says nothing about the camera
        _state.Update(s =>
        {
            var next = new Dictionary<string, string>(s.DialErrors, StringComparer.Ordinal);
            if (reason is null) next.Remove(name); else next[name] = reason;
            return s with { DialErrors = next };
        });
    }

    /// <summary>Cameras marked preload get a video-only keep-alive after each (re)registration, never blocking others.</summary>
    private async Task PreloadAsync(DesiredStreams desired, List<StreamAction> plan, IGo2rtcClient api, CancellationToken stop)
    {
        try
        {
            var version = Go2rtcVersion.Parse(_go2rtc.Status.Version) ?? Go2rtcVersion.Minimum;
            var wanted = WatchedStreams.KeptConnected(desired, version);
            foreach (var put in plan.OfType<StreamAction.Put>())
            {
                // A PUT replaces go2rtc's stream object and orphans its preload consumer: preload again.
                if (!wanted.Contains(put.Name)) continue;
                var outcome = await api.PreloadAsync(put.Name, stop);
                if (!outcome.Applied) _log.LogWarning("preload {Name}: {Error}", put.Name, outcome.Error);
                NoteDial(put.Name, outcome);
            }
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            _log.LogWarning("preload after registration: {Error}", e.Message); // the next registration tries again
        }
        catch (OperationCanceledException)
        {
        }
    }
}
