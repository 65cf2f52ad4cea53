using LightNvr.Config;
using LightNvr.Health;
using LightNvr.PolicyReplay;

namespace LightNvr.Tests.Soak;

/// <summary>The side-by-side replay: assertions on the decisions it reaches on a fake clock, never on wall time.</summary>
public class PolicyReplayTests
{
    private static Outcome Run(Fault fault, PeerPolicy policy) => Replay.Run(Scenario.Timeline.Single(s => s.Fault == fault), policy);

    [Test]
    public async Task The_appliance_row_is_the_shipped_health_defaults()
    {
        var shipped = new HealthSettings();
        var p = PeerPolicies.Appliance;
        await Assert.That((p.CheckInterval, p.ProbeTimeout, p.FailuresBeforeRestart, p.MaxRestarts, p.RestartWindow, p.StreamWarmUp)).IsEqualTo(
            (TimeSpan.FromMilliseconds(shipped.PeriodMs), (TimeSpan?)TimeSpan.FromMilliseconds(shipped.ProbeTimeoutMs), shipped.HungAfter,
             (int?)shipped.MaxRestarts, (TimeSpan?)TimeSpan.FromSeconds(shipped.RestartWindowSeconds), (TimeSpan?)TimeSpan.FromSeconds(shipped.WarmUpSeconds)));
        await Assert.That(p.CalmInterval).IsEqualTo(TimeSpan.FromMilliseconds(shipped.CalmPeriodMs));
    }

    [Test]
    public async Task Ours_respawns_a_killed_go2rtc_at_once()
    {
        var o = Run(Fault.Killed, PeerPolicies.Appliance);
        await Assert.That(o.TimeToDetect).IsEqualTo(0);
        await Assert.That(o.Action).IsEqualTo("restart (exited)");
        await Assert.That(o.TimeToRecover).IsNotNull().And.IsLessThanOrEqualTo(Replay.StartSeconds + 0.1);
    }

    [Test]
    public async Task Ours_calls_a_stopped_go2rtc_hung_after_three_missed_probes()
    {
        var p = PeerPolicies.Appliance;
        var o = Run(Fault.Hung, p);
        await Assert.That(o.Action).IsEqualTo("restart (hung)");
        // At worst one calm interval to the first probe, then three probes, each waiting its full deadline: the first miss
        // brings the 1 s period back and a probe that took as long as the period starts the next one at once (a loop that
        // stayed calm would need 7-10 s).
        var bound = p.CalmInterval!.Value.TotalSeconds + p.FailuresBeforeRestart * p.ProbeTimeout!.Value.TotalSeconds;
        await Assert.That(o.TimeToDetect).IsNotNull().And.IsLessThanOrEqualTo(bound);
    }

    [Test]
    public async Task Ours_reregisters_one_stalled_camera_without_restarting_go2rtc()
    {
        var o = Run(Fault.OneStalled, PeerPolicies.Appliance);
        await Assert.That(o.Action).IsEqualTo("re-register cam1");
        await Assert.That(o.TimeToRecover).IsNotNull();
    }

    [Test]
    public async Task Ours_restarts_go2rtc_once_when_most_cameras_stall_together()
    {
        var o = Run(Fault.MajorityStalled, PeerPolicies.Appliance);
        await Assert.That(o.Action).IsEqualTo("restart (consensus)");
        await Assert.That(o.TimeToRecover).IsNotNull();
    }

    [Test]
    public async Task The_peers_documented_gaps_show()
    {
        // Frigate's healthcheck has no total timeout: a stopped go2rtc keeps it waiting forever.
        await Assert.That(Run(Fault.Hung, PeerPolicies.Frigate).DetectedAt).IsNull();
        // LightNVR vetoes the restart of a hung go2rtc while its streams look fine (measured: never restarted).
        await Assert.That(Run(Fault.Hung, PeerPolicies.LightNvr).DetectedAt).IsNull();
        // Neither Home Assistant nor Frigate looks at streams.
        foreach (var p in new[] { PeerPolicies.HomeAssistant, PeerPolicies.Frigate })
            await Assert.That(Run(Fault.OneStalled, p).DetectedAt).IsNull();
        // LightNVR notices a dead go2rtc only at its next 30 s service check.
        await Assert.That(Run(Fault.Killed, PeerPolicies.LightNvr).TimeToDetect).IsEqualTo(20);
    }

    [Test]
    public async Task Ours_is_never_slower_than_a_peer_on_any_scenario()
    {
        foreach (var s in Scenario.Timeline)
        {
            var ours = Replay.Run(s, PeerPolicies.Appliance).TimeToRecover ?? double.PositiveInfinity;
            foreach (var p in PeerPolicies.All.Where(p => p != PeerPolicies.Appliance))
                await Assert.That(ours).IsLessThanOrEqualTo(Replay.Run(s, p).TimeToRecover ?? double.PositiveInfinity)
                    .Because($"{s.Name}: ours vs {p.Name}");
        }
    }

    [Test]
    public async Task The_svg_has_a_lane_per_policy_and_a_mark_per_detection()
    {
        var outcomes = Replay.All();
        var svg = TimelineSvg.Draw(outcomes);
        foreach (var p in PeerPolicies.All) await Assert.That(svg).Contains($">{p.Name}</text>");
        await Assert.That(svg.Split("<path d=").Length - 1).IsEqualTo(outcomes.Count(o => o.DetectedAt is not null));
        var doc = System.Xml.Linq.XDocument.Parse(svg); // well-formed
        await Assert.That(doc.Root!.Name.LocalName).IsEqualTo("svg");
    }
}
