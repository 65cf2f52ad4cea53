using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Hosting;
using LightNvr.Posix;
using LightNvr.Streams;

namespace LightNvr.Status;

/// <summary>
/// The appliance's one published state: go2rtc's status, the streams and the last health snapshot, each
/// as its owner last published it. Views, the board, /metrics and systemd read this and nothing else of
/// the owners; what they ask of them goes through the owners' commands.
/// </summary>
public sealed record ApplianceState(Go2rtcStatus Go2rtc, StreamsState Streams, HealthSnapshot Health);

/// <summary>Republishes <see cref="ApplianceState"/> whenever one of its owners publishes, and tells systemd the one-line status.</summary>
public sealed class ApplianceStateOwner : BackgroundService
{
    private readonly IGo2rtc _go2rtc;
    private readonly StreamSync _streams;
    private readonly HealthLoop _health;
    private readonly SystemdNotify? _systemd;
    private readonly ILogger<ApplianceStateOwner> _log;
    private readonly TimeProvider _clock;
    private readonly Published<ApplianceState> _state;

    public ApplianceStateOwner(IGo2rtc go2rtc, StreamSync streams, HealthLoop health, ILogger<ApplianceStateOwner> log, TimeProvider clock,
        SystemdNotify? systemd = null)
    {
        (_go2rtc, _streams, _health, _log, _clock, _systemd) = (go2rtc, streams, health, log, clock, systemd);
        _state = new Published<ApplianceState>(Read());
    }

    /// <summary>The owners' values as they are now (three reads of published references: always current, never torn).</summary>
    public ApplianceState Current => Read();

    /// <summary>Completes at the next published state.</summary>
    public Task Changed => _state.Changed;

    private ApplianceState Read() => new(_go2rtc.Status, _streams.State, _health.Snapshot);

    protected override Task ExecuteAsync(CancellationToken stop) => GuardedLoop.RunAsync("the appliance state", FollowAsync, _log, _clock, stop);

    private async Task FollowAsync(CancellationToken stop)
    {
        var stopped = Task.Delay(Timeout.Infinite, stop);
        while (!stop.IsCancellationRequested)
        {
            // The signals are taken before the values are read: a publish in between wakes the next round.
            var changed = Task.WhenAny(_go2rtc.StatusChanged, _streams.StateChanged, _health.SnapshotChanged);
            var state = Read();
            var previous = _state.Current;
            _state.Publish(state);
            if (!ReferenceEquals(previous.Health, state.Health)) _systemd?.Status(StatusLine(state.Health));
            await Task.WhenAny(changed, stopped);
        }
    }

    /// <summary>The one line systemd shows: go2rtc's state and how many cameras are live.</summary>
    public static string StatusLine(HealthSnapshot s)
    {
        var live = s.Streams.Count(x => x.State == Liveness.Live);
        var go2rtc = s.Failed is not null ? "go2rtc FAILED" : $"go2rtc {s.Go2rtc.Phase.ToString().ToLowerInvariant()}";
        return $"{go2rtc}; {live}/{s.Streams.Count} cameras live; {s.Restarts.Count} restarts";
    }
}
