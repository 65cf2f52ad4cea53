using LightNvr.Go2rtc;
using LightNvr.Health;

namespace LightNvr.Tests.Health;

/// <summary>
/// Which snapshot wakes the readers that wait for a change: one that only moves the counters does not,
/// anything a person or systemd could see change does.
/// </summary>
public class SnapshotSameStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Go2rtcStatus Ready = new() { Phase = Go2rtcPhase.Ready, Pid = 42, Generation = 1 };

    private static HealthSnapshot Calm() => new(T0, Ready, ApiHealth.Healthy, 0, 50_000_000, 3.5, false,
        [new StreamHealth("cam1", "cam1", Liveness.Live, 1_000, 100, 0, null), new StreamHealth("cam2_sub", "cam2", Liveness.Live, 2_000, 200, 1, null)],
        ConsensusVerdict.None, [new RestartEntry(T0.AddHours(-1), RestartReason.Manual, RestartOutcome.Ok)], null)
    {
        RestartTotals = new Dictionary<string, long> { ["manual"] = 1 },
    };

    private static HealthSnapshot WithStream(HealthSnapshot s, int i, Func<StreamHealth, StreamHealth> change) =>
        s with { Streams = s.Streams.Select((x, j) => j == i ? change(x) : x).ToList() };

    public static IEnumerable<Func<(string Case, Func<HealthSnapshot, HealthSnapshot> Change, bool Same)>> Cases()
    {
        yield return () => ("nothing", s => s, true);
        yield return () => ("a later tick, more bytes, other rates, RSS and CPU", s => WithStream(WithStream(s, 0, x => x with { BytesTotal = 9_000, BytesPerSecond = 7 }),
            1, x => x with { BytesTotal = 8_000, BytesPerSecond = 0 }) with { At = T0.AddSeconds(3), RssBytes = 60_000_000, CpuPercent = 80 }, true);
        yield return () => ("an equal copy of go2rtc's status", s => s with { Go2rtc = Ready with { } }, true);
        yield return () => ("a camera's state", s => WithStream(s, 1, x => x with { State = Liveness.Stalled }), false);
        yield return () => ("a camera's reason", s => WithStream(s, 0, x => x with { Why = "no new bytes for 3 samples" }), false);
        yield return () => ("a viewer", s => WithStream(s, 0, x => x with { Consumers = 1 }), false);
        yield return () => ("a camera more", s => s with { Streams = [.. s.Streams, new StreamHealth("cam3", "cam3", Liveness.Starting, 0, 0, 0, null)] }, false);
        yield return () => ("a camera less", s => s with { Streams = s.Streams.Take(1).ToList() }, false);
        yield return () => ("go2rtc's phase", s => s with { Go2rtc = Ready with { Phase = Go2rtcPhase.Backoff } }, false);
        yield return () => ("a missed probe", s => s with { Api = ApiHealth.Suspect, ApiMisses = 1 }, false);
        yield return () => ("the CPU warning", s => s with { CpuWarning = true }, false);
        yield return () => ("consensus", s => s with { Consensus = ConsensusVerdict.Waiting }, false);
        yield return () => ("the budget spent", s => s with { Failed = "5 restarts in 600 s" }, false);
        yield return () => ("a restart", s => s with { Restarts = [.. s.Restarts, new RestartEntry(T0, RestartReason.Hung, RestartOutcome.Ok)] }, false);
        yield return () => ("a restart total", s => s with { RestartTotals = new Dictionary<string, long> { ["manual"] = 2 } }, false);
        yield return () => ("a new reason's total", s => s with { RestartTotals = new Dictionary<string, long> { ["hung"] = 1 } }, false);
    }

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task Only_what_moves_every_tick_is_the_same_state((string Case, Func<HealthSnapshot, HealthSnapshot> Change, bool Same) row)
    {
        var before = Calm();
        await Assert.That(HealthSnapshot.SameState(before, row.Change(before))).IsEqualTo(row.Same).Because(row.Case);
    }

    [Test]
    public async Task The_placeholder_before_the_first_tick_is_never_the_same_state()
    {
        var placeholder = HealthSnapshot.Initial(Ready);
        await Assert.That(HealthSnapshot.SameState(placeholder, placeholder with { At = T0 })).IsFalse();
    }
}
