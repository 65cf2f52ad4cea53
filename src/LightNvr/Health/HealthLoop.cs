using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Hosting;
using LightNvr.Posix;
using LightNvr.Streams;

namespace LightNvr.Health;

/// <summary>
/// The health checker: one loop on a <see cref="PeriodicTimer"/> (<c>health.period_ms</c>, 1 s; <c>health.calm_period_ms</c>,
/// 3 s, while <see cref="HealthCadence"/> finds everything well). Each tick observes (go2rtc's
/// published status, the streams' published state, one <c>GET /api/streams</c> that is also the API probe,
/// go2rtc's RSS and CPU from /proc), folds the observation through <see cref="HealthFold"/>, sends the one
/// command the verdict names (a restart to the supervisor, a re-registration to the stream sync), and
/// publishes the snapshot. Process exit is not polled: the supervisor sees it.
/// </summary>
public sealed class HealthLoop : BackgroundService
{
    private readonly HealthSettings _settings;
    private readonly IGo2rtc _go2rtc;
    private readonly IGo2rtcClient _client;
    private readonly IStreams _streams;
    private readonly ILogger<HealthLoop> _log;
    private readonly TimeProvider _clock;
    private readonly HealthFoldOptions _options;
    private readonly CadenceOptions _cadence;
    private TimeSpan _nextPeriod;
    private readonly SystemdNotify? _systemd;
    /// <summary>Signalled only when the snapshot says something new (<see cref="HealthSnapshot.SameState"/>).</summary>
    private readonly Published<HealthSnapshot> _snapshot;
    private HealthMemory _memory = HealthMemory.Empty;

    public HealthLoop(AppConfig config, IGo2rtc go2rtc, IGo2rtcClient client, IStreams streams, ILogger<HealthLoop> log, TimeProvider clock,
        SystemdNotify? systemd = null)
    {
        _settings = config.Health;
        _go2rtc = go2rtc;
        _client = client;
        _streams = streams;
        _log = log;
        _clock = clock;
        _systemd = systemd;
        var warmUp = TimeSpan.FromSeconds(_settings.WarmUpSeconds);
        var memTotal = ResourceWatch.ParseMemTotal(File.ReadAllText("/proc/meminfo")) ?? 1L << 30;
        _options = new HealthFoldOptions(
            HealthOptions.Default with { Consensus = ConsensusOptions.Default with { WarmUp = warmUp } },
            new LivenessOptions(warmUp),
            ResourceOptions.ForMemTotal(memTotal) with
            {
                RssLimitBytes = memTotal / 100 * _settings.MemoryLimitPercent,
                RssFor = TimeSpan.FromSeconds(_settings.MemoryWindowSeconds),
                TicksPerSecond = ProcFs.ClockTicksPerSecond,
            },
            _settings.HungAfter);
        _cadence = new CadenceOptions(TimeSpan.FromMilliseconds(_settings.PeriodMs), TimeSpan.FromMilliseconds(Math.Max(_settings.CalmPeriodMs, _settings.PeriodMs)));
        _nextPeriod = _cadence.Period;
        _snapshot = new Published<HealthSnapshot>(HealthSnapshot.Initial(go2rtc.Status));
    }

    public HealthSnapshot Snapshot => _snapshot.Current;

    /// <summary>
    /// Completes at the next snapshot that says something new; one that only moves the counters (bytes, rates, go2rtc's
    /// RSS and CPU) replaces <see cref="Snapshot"/> quietly, so an idle appliance wakes nobody each tick.
    /// </summary>
    public Task SnapshotChanged => _snapshot.Changed;

    /// <summary>The wait before the next tick, as the last finished tick decided it.</summary>
    internal TimeSpan NextPeriod => _nextPeriod;

    protected override Task ExecuteAsync(CancellationToken stop) =>
        GuardedLoop.RunAsync("the health loop", TickLoopAsync, _log, _clock, stop);

    private Task TickLoopAsync(CancellationToken stop)
    {
        if (_systemd?.WatchdogInterval is { } watchdog && watchdog < _cadence.CalmPeriod * 2)
            _log.LogWarning("health.calm_period_ms {Period} is more than half of systemd's watchdog ({Watchdog} s): systemd may restart a healthy appliance",
                _cadence.CalmPeriod.TotalMilliseconds, watchdog.TotalSeconds);
        return RunAsync(_cadence.Period, _clock, TickAsync, () => _systemd?.Watchdog(), _log, stop, () => _nextPeriod);
    }

    /// <summary>
    /// The loop: a tick each period, then "alive" (systemd's watchdog ping). The ping follows a finished
    /// tick only, so a tick that never ends stops the pings and systemd restarts the appliance.
    /// <paramref name="next"/>, asked after each tick, sets the period that follows it.
    /// </summary>
    internal static async Task RunAsync(TimeSpan period, TimeProvider clock, Func<CancellationToken, Task> tick, Action alive, ILogger log,
        CancellationToken stop, Func<TimeSpan>? next = null)
    {
        using var timer = new PeriodicTimer(period, clock);
        var again = false;
        while (again || await timer.WaitForNextTickAsync(stop))
        {
            var started = clock.GetUtcNow();
            try { await tick(stop); }
            catch (Exception e) when (!stop.IsCancellationRequested) { log.LogError(e, "health tick"); }
            again = false;
            if (next?.Invoke() is { } wanted && wanted != timer.Period)
            {
                timer.Period = wanted; // re-arms: the next tick one new period from now
                // A tick that took longer than the new period (a probe that timed out) goes again at once, as a
                // periodic timer does when it falls behind: a calm loop that finds trouble loses no time.
                again = clock.GetUtcNow() - started >= wanted;
            }
            alive();
        }
    }

    /// <summary>One observe → fold → act → publish pass.</summary>
    internal async Task TickAsync(CancellationToken stop)
    {
        _nextPeriod = _cadence.Period; // a tick that throws is no calm one
        var observation = await ObserveAsync(stop);
        var (memory, decision, snapshot) = HealthFold.Next(_memory, observation, _options);
        _memory = memory;
        _nextPeriod = HealthCadence.Next(HealthCadence.Of(memory, observation, decision), _cadence);
        if (snapshot.CpuWarning && !Snapshot.CpuWarning)
            _log.LogWarning("go2rtc has used {Cpu:0} % of a core for 5 minutes", snapshot.CpuPercent);
        Publish(snapshot);
        switch (decision)
        {
            case Decision.RestartGo2rtc restart:
                _log.LogWarning("go2rtc needs a restart ({Reason}): {Why}", restart.Reason, restart.Why);
                // The supervisor is the budget's one gate: refused, it leaves go2rtc be and its status says why.
                await _go2rtc.RequestRestart(restart.Reason, restart.Why);
                Publish(snapshot with { Go2rtc = _go2rtc.Status, Failed = _go2rtc.Status.RestartRefused ?? snapshot.Failed });
                break;
            case Decision.Reregister heal:
                foreach (var h in heal.Streams) _log.LogWarning("re-registering {Stream}: {Reason}", h.Stream, h.Reason);
                await _streams.ReregisterAsync(heal.Streams.Select(h => h.Stream).ToList(), stop);
                break;
        }
    }

    private async Task<HealthObservation> ObserveAsync(CancellationToken stop)
    {
        var status = _go2rtc.Status;
        var now = _clock.GetUtcNow();
        var ledger = _go2rtc.Ledger;
        var observation = new HealthObservation(now, status, _streams.State, null, null, null, ledger.History, ledger.Totals,
            ledger.FailedSince(now) is not null);
        if (status.Phase != Go2rtcPhase.Ready || status.Pid is not { } pid) return observation;
        var version = Go2rtcVersion.Parse(status.Version) ?? Go2rtcVersion.Minimum;
        var (probe, listed) = await _client.ObserveAsync(version.AtLeast(1, 9, 12), TimeSpan.FromMilliseconds(_settings.ProbeTimeoutMs), stop);
        var sample = new ResourceSample(now, pid, (ProcFs.VmRssKiB(pid) ?? 0) * 1024, (long)(ProcFs.CpuTicks(pid) ?? 0));
        return observation with { Probe = probe, Listed = listed, Resources = sample };
    }

    private void Publish(HealthSnapshot snapshot)
    {
        if (HealthSnapshot.SameState(_snapshot.Current, snapshot)) _snapshot.Replace(snapshot);
        else _snapshot.Publish(snapshot);
    }
}
