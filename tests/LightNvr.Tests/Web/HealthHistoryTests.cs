using LightNvr.Go2rtc;
using LightNvr.Health;

namespace LightNvr.Tests.Web;

public class HealthHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static HealthSnapshot Snap(int second, Go2rtcPhase phase, IReadOnlyList<RestartEntry>? restarts = null, params (string Camera, Liveness State)[] streams) =>
        HealthSnapshot.Initial(new Go2rtcStatus { Phase = phase }) with
        {
            At = T0.AddSeconds(second),
            Restarts = restarts ?? [],
            Streams = streams.Select(s => new StreamHealth(s.Camera, s.Camera, s.State, 0, 0, 0, s.State == Liveness.Stalled ? "no bytes for 10 s" : null)).ToList(),
        };

    [Test]
    public async Task Phase_changes_restarts_and_stream_edges_become_events_and_nothing_else()
    {
        var manual = new RestartEntry(T0.AddSeconds(2), RestartReason.Manual, RestartOutcome.Ok);
        var hung = new RestartEntry(T0.AddSeconds(5), RestartReason.Hung, RestartOutcome.Failed);
        HealthSnapshot[] timeline =
        [
            Snap(0, Go2rtcPhase.Starting),
            Snap(1, Go2rtcPhase.Ready, null, ("cam1", Liveness.Starting), ("cam2", Liveness.Starting)),
            Snap(2, Go2rtcPhase.Ready, [manual], ("cam1", Liveness.Live), ("cam2", Liveness.Starting)),
            Snap(3, Go2rtcPhase.Ready, [manual], ("cam1", Liveness.Live), ("cam2", Liveness.Starting)), // nothing new
            Snap(4, Go2rtcPhase.Ready, [manual], ("cam1", Liveness.Stalled), ("cam2", Liveness.Idle)),
            Snap(5, Go2rtcPhase.Backoff, [manual, hung], ("cam1", Liveness.Live)),
        ];
        var events = new List<HealthEvent>();
        HealthSnapshot? last = null;
        foreach (var s in timeline) { events.AddRange(HealthHistory.Changes(last, s)); last = s; }
        var kinds = events.Select(e => $"{e.Kind}:{e.Subject}").ToList();
        // (start) → Starting, Starting → Ready; the manual restart and cam1 up; cam1 down (cam2 idle is no edge);
        // Ready → Backoff, the hung restart, cam1 up again (cam2 unwatched while go2rtc is down: no event).
        await Assert.That(string.Join(" ", kinds)).IsEqualTo(
            "go2rtc:phase go2rtc:phase restart:manual stream-up:cam1 stream-down:cam1 go2rtc:phase restart:hung stream-up:cam1");
        await Assert.That(events.Single(e => e.Kind == "restart" && e.Subject == "hung").Text).Contains("failed");
        await Assert.That(events.Single(e => e.Kind == "stream-down").Text).Contains("no bytes for 10 s");
    }

    [Test]
    public async Task The_ring_keeps_only_the_newest_events()
    {
        var history = new HealthHistory(capacity: 3);
        history.Add(Enumerable.Range(0, 5).Select(i => new HealthEvent(T0.AddSeconds(i), "go2rtc", "phase", $"event {i}")));
        await Assert.That(string.Join(",", history.Events.Select(e => e.Text))).IsEqualTo("event 2,event 3,event 4");
    }
}
