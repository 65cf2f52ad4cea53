using LightNvr.Go2rtc;

namespace LightNvr.Streams;

/// <summary>What the appliance knows about one go2rtc stream it manages.</summary>
/// <param name="Registered">go2rtc has it, with the sources of the current camera list.</param>
public sealed record StreamState(bool Registered, string? Error = null, string? Warning = null, DateTimeOffset? Since = null);

/// <summary>
/// Keeps go2rtc's streams equal to the enabled cameras. One code path for everything: after every
/// go2rtc start or in-place restart (before the supervisor reports ready), after every camera change,
/// and every 60 s, it lists go2rtc's streams, plans with <see cref="Reconciler"/>, and applies the
/// actions one at a time through the API client.
/// </summary>
public sealed class StreamSync : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(60);

    private readonly CameraList _cameras;
    private readonly Go2rtcSupervisor _go2rtc;
    private readonly ILogger<StreamSync> _log;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Registered _registered = Registered.Empty;
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _written;
    private IReadOnlyDictionary<string, StreamState> _states = new Dictionary<string, StreamState>();
    private DesiredStreams? _desired;
    private IReadOnlyDictionary<string, string> _dialErrors = new Dictionary<string, string>(StringComparer.Ordinal);
    private readonly Lock _dialGate = new();

    public StreamSync(CameraList cameras, Go2rtcSupervisor go2rtc, ILogger<StreamSync> log, TimeProvider clock)
    {
        _cameras = cameras;
        _go2rtc = go2rtc;
        _log = log;
        _clock = clock;
        go2rtc.ConfigStreams = WrittenAtStart;
        go2rtc.AddReadyHook(OnGo2rtcReadyAsync);
    }

    /// <summary>Per managed stream name: registered or not, and why not.</summary>
    public IReadOnlyDictionary<string, StreamState> States => Volatile.Read(ref _states);

    /// <summary>
    /// Per stream, go2rtc's reason when it last failed to dial the camera (its answer to our preload,
    /// credentials removed); gone once a preload connects. The health loop shows it as "unreachable".
    /// </summary>
    public IReadOnlyDictionary<string, string> DialErrors => Volatile.Read(ref _dialErrors);

    /// <summary>The streams go2rtc should have (as last computed), for display.</summary>
    public DesiredStreams? Desired => Volatile.Read(ref _desired);

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

    /// <summary>Time from go2rtc ready to all streams registered, for the last start (ms).</summary>
    public double? LastRegistrationMs { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Hosting.GuardedLoop.RunAsync("stream sync", SyncLoopAsync, _log, _clock, stop);

    private async Task SyncLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period, _clock);
        var tick = timer.WaitForNextTickAsync(stop).AsTask();
        var changed = _cameras.Changed;
        while (!stop.IsCancellationRequested)
        {
            var done = await Task.WhenAny(changed, tick, Task.Delay(Timeout.Infinite, stop));
            if (stop.IsCancellationRequested) break;
            if (done == tick) tick = timer.WaitForNextTickAsync(stop).AsTask();
            // The next signal is taken before this pass reads the list: a camera added during the pass
            // wakes the loop again (taken after the pass, that change waited for the 60 s tick).
            changed = _cameras.Changed;
            if (_go2rtc.Status.Phase != Go2rtcPhase.Ready) continue;
            try { await ReconcileAsync(_go2rtc.Status.Generation, stop); }
            catch (Exception e) when (!stop.IsCancellationRequested) { _log.LogError(e, "reconcile pass"); }
        }
    }

    /// <summary>Called by the supervisor while it writes go2rtc's config: the desired streams go in the file too.</summary>
    private (IReadOnlyDictionary<string, IReadOnlyList<string>>, IReadOnlyCollection<string>) WrittenAtStart(Go2rtcVersion version)
    {
        var load = _cameras.Current;
        var desired = DesiredStreams.From(load.Cameras, version, load.RefusedNames);
        var sources = desired.Sources;
        Volatile.Write(ref _written, sources);
        return (sources, KeptConnected(desired, version));
    }

    /// <summary>
    /// The streams go2rtc keeps connected: cameras marked preload, and every watched camera's stream
    /// (its _sub when it has one, video only) so the health checker can see bytes flowing. Needs go2rtc
    /// ≥ 1.9.11; below that nothing is preloaded and watched cameras count as idle.
    /// </summary>
    public static HashSet<string> KeptConnected(DesiredStreams desired, Go2rtcVersion version)
    {
        if (!StreamFeatures.Has(version, StreamFeatures.Preload)) return new HashSet<string>(StringComparer.Ordinal);
        var names = Watched(desired);
        names.UnionWith(desired.Streams.Values.Where(d => d.Preload).Select(d => d.Name));
        return names;
    }

    /// <summary>Every watched camera's watched stream, whatever go2rtc's version.</summary>
    public static HashSet<string> Watched(DesiredStreams desired) =>
        desired.Streams.Values.Where(d => d.Watch && WatchedName(desired, d.Camera) == d.Name).Select(d => d.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The stream whose bytes tell whether a camera is alive: its _sub when it has one.</summary>
    public static string WatchedName(DesiredStreams desired, string camera) =>
        desired.Streams.ContainsKey(SourceBuilder.SubName(camera)) ? SourceBuilder.SubName(camera) : camera;

    private async Task OnGo2rtcReadyAsync(int generation, CancellationToken stop)
    {
        var started = _clock.GetTimestamp();
        await _gate.WaitAsync(stop);
        try
        {
            // A fresh go2rtc read its streams from the config we just wrote; an in-place restart re-read
            // the same file (with go2rtc's write-backs of our calls). Either way, verify and fill gaps.
            var written = Interlocked.Exchange(ref _written, null);
            _registered = written is not null ? Seed(written, generation) : Relabel(_registered, generation);
        }
        finally
        {
            _gate.Release();
        }
        await ReconcileAsync(generation, stop);
        LastRegistrationMs = Math.Round(_clock.GetElapsedTime(started).TotalMilliseconds, 1);
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
            Volatile.Write(ref _desired, desired);
            lock (_dialGate) // a removed camera's old failure must not greet a new one of the same name
                Volatile.Write(ref _dialErrors, DialErrors.Where(e => desired.Streams.ContainsKey(e.Key))
                    .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
            if (!load.Readable) return; // the list is unknown: change nothing in go2rtc
            var api = _go2rtc.Api;
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
            Volatile.Write(ref _states, states);
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
            var api = _go2rtc.Api;
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
                    var states = new Dictionary<string, StreamState>(States, StringComparer.Ordinal)
                    {
                        [name] = new StreamState(true, Warning: outcome.Warning, Since: _clock.GetUtcNow()),
                    };
                    Volatile.Write(ref _states, states);
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
        lock (_dialGate)
        {
            var next = new Dictionary<string, string>(DialErrors, StringComparer.Ordinal);
            if (reason is null) next.Remove(name); else next[name] = reason;
            Volatile.Write(ref _dialErrors, next);
        }
    }

    /// <summary>Cameras marked preload get a video-only keep-alive after each (re)registration, never blocking others.</summary>
    private async Task PreloadAsync(DesiredStreams desired, List<StreamAction> plan, Go2rtcApi api, CancellationToken stop)
    {
        try
        {
            var version = Go2rtcVersion.Parse(_go2rtc.Status.Version) ?? Go2rtcVersion.Minimum;
            var wanted = KeptConnected(desired, version);
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
