using System.Collections.Immutable;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Posix;
using LightNvr.Streams;

namespace LightNvr.Health;

/// <summary>
/// The health checker: one loop on a <see cref="PeriodicTimer"/> (default 1 s). Each tick observes
/// (one <c>GET /api/streams</c> that is also the API probe, go2rtc's RSS and CPU from /proc), folds the observations
/// through the pure rules, acts on the one decision (restart go2rtc through the supervisor, or
/// re-register streams), and publishes a snapshot. Process exit is not polled: the supervisor sees it.
/// </summary>
public sealed class HealthLoop : BackgroundService
{
    private readonly HealthSettings _settings;
    private readonly IGo2rtc _go2rtc;
    private readonly IGo2rtcClient _client;
    private readonly IStreams _sync;
    private readonly ILogger<HealthLoop> _log;
    private readonly TimeProvider _clock;
    private readonly HealthOptions _options;
    private readonly LivenessOptions _liveness;
    private readonly ResourceOptions _resources;
    private ApiVerdict _api = ApiVerdict.Initial;
    private ResourceWatchState _resourceState = ResourceWatchState.Empty;
    private ConsensusMemory _consensus = ConsensusMemory.Empty;
    private ImmutableDictionary<string, DateTimeOffset> _healedAt = ImmutableDictionary<string, DateTimeOffset>.Empty;
    private Dictionary<string, StreamLivenessState> _streams = new(StringComparer.Ordinal);
    private Dictionary<string, (long Bytes, DateTimeOffset At)> _lastBytes = new(StringComparer.Ordinal);
    // Bytes per stream for the life of the process: go2rtc's own count starts over with every producer and every go2rtc.
    private readonly Dictionary<string, long> _bytesCounted = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, ObservedStream> _observed = new Dictionary<string, ObservedStream>();
    private int _generation;
    private HealthSnapshot _snapshot;

    private readonly SystemdNotify? _systemd;

    public HealthLoop(AppConfig config, IGo2rtc go2rtc, IGo2rtcClient api, IStreams sync, ILogger<HealthLoop> log, TimeProvider clock,
        SystemdNotify? systemd = null)
    {
        _systemd = systemd;
        _settings = config.Health;
        _go2rtc = go2rtc;
        _client = api;
        _sync = sync;
        _log = log;
        _clock = clock;
        var warmUp = TimeSpan.FromSeconds(_settings.WarmUpSeconds);
        _liveness = new LivenessOptions(warmUp);
        _options = HealthOptions.Default with { Consensus = ConsensusOptions.Default with { WarmUp = warmUp } };
        var memTotal = ResourceWatch.ParseMemTotal(File.ReadAllText("/proc/meminfo")) ?? 1L << 30;
        _resources = ResourceOptions.ForMemTotal(memTotal) with
        {
            RssLimitBytes = memTotal / 100 * _settings.MemoryLimitPercent,
            RssFor = TimeSpan.FromSeconds(_settings.MemoryWindowSeconds),
            TicksPerSecond = ProcFs.ClockTicksPerSecond,
        };
        _snapshot = HealthSnapshot.Initial(go2rtc.Status);
    }

    public HealthSnapshot Snapshot => Volatile.Read(ref _snapshot);

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Hosting.GuardedLoop.RunAsync("the health loop", TickLoopAsync, _log, _clock, stop);

    private Task TickLoopAsync(CancellationToken stop)
    {
        if (_systemd?.WatchdogInterval is { } watchdog && watchdog < TimeSpan.FromMilliseconds(_settings.PeriodMs * 2))
            _log.LogWarning("health.period_ms {Period} is more than half of systemd's watchdog ({Watchdog} s): systemd may restart a healthy appliance",
                _settings.PeriodMs, watchdog.TotalSeconds);
        return RunAsync(TimeSpan.FromMilliseconds(_settings.PeriodMs), _clock, TickAsync, () => _systemd?.Watchdog(), _log, stop);
    }

    /// <summary>
    /// The loop: a tick each period, then "alive" (systemd's watchdog ping). The ping follows a finished
    /// tick only, so a tick that never ends stops the pings and systemd restarts the appliance.
    /// </summary>
    internal static async Task RunAsync(TimeSpan period, TimeProvider clock, Func<CancellationToken, Task> tick, Action alive, ILogger log,
        CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period, clock);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try { await tick(stop); }
            catch (Exception e) when (!stop.IsCancellationRequested) { log.LogError(e, "health tick"); }
            alive();
        }
    }

    /// <summary>One observe → decide → act → publish pass (tests call it directly).</summary>
    internal async Task TickAsync(CancellationToken stop)
    {
        var status = _go2rtc.Status;
        var now = _clock.GetUtcNow();
        if (status.Generation != _generation)
        {
            // A new go2rtc: its counters, probes and resource samples start over.
            _generation = status.Generation;
            _api = ApiVerdict.Initial;
            _resourceState = ResourceWatchState.Empty;
            _lastBytes.Clear();
            _observed = new Dictionary<string, ObservedStream>(); // the old go2rtc's bytes are counted already
            _streams.Clear(); // new go2rtc stream objects: every stream starts (and warms up) again
        }
        if (status.Phase != Go2rtcPhase.Ready || status.Pid is not { } pid)
        {
            Publish(status, now, ResourceVerdict.Nothing, ConsensusVerdict.None);
            return;
        }

        var api = _client;
        var version = Go2rtcVersion.Parse(status.Version) ?? Go2rtcVersion.Minimum;
        var (probe, listed) = await api.ObserveAsync(version.AtLeast(1, 9, 12), TimeSpan.FromMilliseconds(_settings.ProbeTimeoutMs), stop);
        _api = ApiProbe.Next(_api, probe, _settings.HungAfter);
        var observed = _api.Health == ApiHealth.Healthy ? listed : null;
        ObserveStreams(observed, now);

        var (resourceState, resources) = ResourceWatch.Next(_resourceState,
            new ResourceSample(now, pid, (ProcFs.VmRssKiB(pid) ?? 0) * 1024, (long)(ProcFs.CpuTicks(pid) ?? 0)), _resources);
        if (resources.CpuWarning && !Snapshot.CpuWarning)
            _log.LogWarning("go2rtc has used {Cpu:0} % of a core for 5 minutes", resources.CpuPercent);
        _resourceState = resourceState;

        var outcome = HealthDecision.Decide(new TickInputs(_api, resources, _streams, _consensus, _healedAt, status.ReadyAt, now), _options);
        _consensus = outcome.Consensus;
        switch (outcome.Decision)
        {
            case Decision.RestartGo2rtc restart:
                Publish(status, now, resources, outcome.ConsensusVerdict);
                _log.LogWarning("go2rtc needs a restart ({Reason}): {Why}", restart.Reason, restart.Why);
                // The supervisor is the budget's one gate: refused, it leaves go2rtc be and its status says why.
                await _go2rtc.RequestRestart(restart.Reason, restart.Why);
                Publish(_go2rtc.Status, _clock.GetUtcNow(), resources, outcome.ConsensusVerdict);
                return;
            case Decision.Reregister heal:
                foreach (var h in heal.Streams) _log.LogWarning("re-registering {Stream}: {Reason}", h.Stream, h.Reason);
                _healedAt = StreamHealing.Record(_healedAt, heal.Streams, now);
                await _sync.ReregisterAsync(heal.Streams.Select(h => h.Stream).ToList(), stop);
                break;
        }
        Publish(status, now, resources, outcome.ConsensusVerdict);
    }

    private void ObserveStreams(IReadOnlyDictionary<string, ObservedStream>? observed, DateTimeOffset now)
    {
        var streams = _sync.State;
        if (streams.Desired is not { } desired) return;
        // Watched = kept connected by go2rtc's preload (≥ 1.9.11) or by our own keep-alive consumer (older).
        var connected = WatchedStreams.Watched(desired);
        var next = new Dictionary<string, StreamLivenessState>(StringComparer.Ordinal);
        foreach (var d in desired.Streams.Values)
        {
            var name = WatchedStreams.WatchedName(desired, d.Camera);
            if (name != d.Name) continue; // one liveness per camera: its watched stream
            var watched = d.Watch && connected.Contains(name);
            var registeredAt = streams.States.GetValueOrDefault(name)?.Since ?? now;
            // No fresh observation (API suspect): keep the previous state rather than invent a sample.
            if (observed is null && _streams.TryGetValue(name, out var kept)) { next[name] = kept; continue; }
            var sample = StreamSample.From(observed?.GetValueOrDefault(name));
            next[name] = StreamLiveness.Next(_streams.GetValueOrDefault(name), sample, watched, registeredAt, now, _liveness,
                streams.DialErrors.GetValueOrDefault(name));
        }
        _streams = next;
        _healedAt = StreamHealing.Prune(_healedAt, next.Keys);
        if (observed is not null) _observed = observed; // the last real observation, for bytes and viewers
    }

    private void Publish(Go2rtcStatus status, DateTimeOffset now, ResourceVerdict resources, ConsensusVerdict consensus)
    {
        var streams = new List<StreamHealth>();
        var bytes = new Dictionary<string, (long, DateTimeOffset)>(StringComparer.Ordinal);
        foreach (var (name, state) in _streams.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var o = _observed.GetValueOrDefault(name);
            var total = o?.BytesReceived ?? 0;
            var seen = _lastBytes.TryGetValue(name, out var last);
            var rate = seen && now > last.At && total >= last.Bytes ? (total - last.Bytes) / (now - last.At).TotalSeconds : 0;
            var counted = _bytesCounted[name] = _bytesCounted.GetValueOrDefault(name) + BytesSince(seen ? last.Bytes : null, total);
            bytes[name] = (total, now);
            streams.Add(new StreamHealth(name, name.EndsWith("_sub") ? name[..^4] : name, state.State, counted, Math.Round(rate), o?.Consumers ?? 0, state.Why));
        }
        _lastBytes = bytes;
        var failed = status.RestartRefused is { } refused && now < status.RefusedUntil ? refused
            : status.Phase == Go2rtcPhase.Failed && _go2rtc.Ledger.FailedSince(now) is not null ? status.Message : null;
        var snapshot = new HealthSnapshot(now, status, _api.Health, _api.ConsecutiveMisses, resources.RssBytes,
            resources.CpuPercent, resources.CpuWarning, streams, consensus, _go2rtc.Ledger.History.Entries, failed)
        {
            RestartTotals = _go2rtc.Ledger.Totals,
        };
        Volatile.Write(ref _snapshot, snapshot);
        _systemd?.Status(StatusLine(snapshot));
    }

    /// <summary>What go2rtc received since the previous sample; a count that fell belongs to a new producer, counting from zero.</summary>
    public static long BytesSince(long? previous, long now) => previous is { } p && now >= p ? now - p : now;

    /// <summary>The one line systemd shows: go2rtc's state and how many cameras are live.</summary>
    public static string StatusLine(HealthSnapshot s)
    {
        var live = s.Streams.Count(x => x.State == Liveness.Live);
        var go2rtc = s.Failed is not null ? "go2rtc FAILED" : $"go2rtc {s.Go2rtc.Phase.ToString().ToLowerInvariant()}";
        return $"{go2rtc}; {live}/{s.Streams.Count} cameras live; {s.Restarts.Count} restarts";
    }
}
