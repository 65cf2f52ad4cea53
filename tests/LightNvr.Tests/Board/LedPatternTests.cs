using LightNvr.Board;
using LightNvr.Go2rtc;
using LightNvr.Logging;

namespace LightNvr.Tests.Board;

public class LedPatternTests
{
    public static IEnumerable<Func<(ApplianceState State, string Led)>> Cases() =>
    [
        () => (new(Go2rtcPhase.Ready, 4, 0, 0, false, true), "solid"),
        () => (new(Go2rtcPhase.Ready, 0, 0, 0, false, true), "solid"),            // no cameras yet is not an error
        () => (new(Go2rtcPhase.Ready, 3, 1, 0, false, true), "double-blink"),     // a camera down
        () => (new(Go2rtcPhase.Ready, 4, 0, 2, false, true), "double-blink"),     // config errors
        () => (new(Go2rtcPhase.Ready, 4, 0, 0, false, false), "heartbeat"),       // no password set
        () => (new(Go2rtcPhase.Ready, 0, 4, 3, false, false), "heartbeat"),       // setting a password comes first
        () => (new(Go2rtcPhase.Starting, 0, 0, 0, false, true), "slow-blink"),
        () => (new(Go2rtcPhase.Locating, 0, 0, 0, false, true), "slow-blink"),
        () => (new(Go2rtcPhase.Backoff, 0, 4, 0, false, false), "slow-blink"),
        () => (new(Go2rtcPhase.Failed, 0, 0, 0, false, true), "fast-blink"),
        () => (new(Go2rtcPhase.Ready, 4, 0, 0, true, true), "fast-blink"),        // budget spent while the process lives
        () => (new(Go2rtcPhase.BinaryProblem, 0, 0, 0, false, false), "fast-blink"),
        () => (new(Go2rtcPhase.PortConflict, 0, 0, 0, false, true), "fast-blink"),
        () => (new(Go2rtcPhase.Disabled, 0, 0, 0, false, true), "off"),
        () => (new(Go2rtcPhase.NotBuilt, 0, 0, 0, false, true), "off"),
        () => (new(Go2rtcPhase.Stopped, 0, 0, 0, false, true), "off"),
    ];

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task Appliance_state_maps_to_one_named_pattern((ApplianceState State, string Led) c)
    {
        await Assert.That(LedPatterns.For(c.State).Word).IsEqualTo(c.Led);
    }

    [Test]
    public async Task Every_pattern_has_a_timing_a_driver_can_play()
    {
        LedPattern[] all = [LedPatterns.Off, LedPatterns.Solid, LedPatterns.SlowBlink, LedPatterns.FastBlink, LedPatterns.DoubleBlink, LedPatterns.Heartbeat];
        await Assert.That(all.Select(p => p.Word).Distinct().Count()).IsEqualTo(all.Length);
        foreach (var p in all)
        {
            await Assert.That(p.OnOffMs.Count % 2).IsEqualTo(0);
            await Assert.That(p.OnOffMs.All(ms => ms >= 0)).IsTrue();
            await Assert.That(p.OnOffMs.Sum()).IsGreaterThan(0);
            await Assert.That(p.Meaning).IsNotEmpty();
        }
        await Assert.That(LedPatterns.Solid.OnOffMs[1]).IsEqualTo(0);   // never off
        await Assert.That(LedPatterns.Off.OnOffMs[0]).IsEqualTo(0);     // never on
        await Assert.That(LedPatterns.DoubleBlink.OnOffMs.Count).IsEqualTo(4); // two flashes per cycle
    }

    /// <summary>The console's answers pass the redactor: a meaning worded "password: open …" lost its advice to "***".</summary>
    [Test]
    public async Task Every_meaning_reads_the_same_after_the_redactor()
    {
        foreach (var p in LedPatterns.All)
            await Assert.That(Redactor.Redact($"LED: {p.Word}: {p.Meaning}")).IsEqualTo($"LED: {p.Word}: {p.Meaning}");
    }
}
