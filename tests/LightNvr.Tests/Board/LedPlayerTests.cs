using System.Device.Gpio;
using LightNvr.Board;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Board;

/// <summary>
/// The LED loop on a fake clock, through each driver: a recording pin, a sysfs LED laid out in a temp
/// directory, and a GPIO line behind System.Device.Gpio's controller. Every pattern's timeline is checked
/// at every edge of two cycles; nothing sleeps.
/// </summary>
public class LedPlayerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T00:00:00Z");

    /// <summary>A pin that only records: the light as the loop leaves it.</summary>
    private sealed class RecordingPin : ILedOutput
    {
        public volatile bool On;
        public int Sets;
        public string Describe => "recording pin";
        public void Set(bool on) { On = on; Interlocked.Increment(ref Sets); }
        public void Dispose() { }
    }

    /// <summary>One physical LED and how the test reads it back.</summary>
    private sealed record Rig(string Driver, Func<ILedOutput> Open, Func<bool> Lit, IDisposable? Cleanup = null);

    private static Rig MakeRig(string driver, FakeTimeProvider clock) => driver switch
    {
        "pin" => PinRig(),
        "sysfs" => SysfsRig(),
        _ => GpioRig(clock),
    };

    private static Rig PinRig() { var p = new RecordingPin(); return new Rig("pin", () => p, () => p.On); }

    private static Rig SysfsRig()
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("ACT"));
        File.WriteAllText(dir.File("ACT/trigger"), "none rc-feedback kbd-scrolllock timer oneshot heartbeat [mmc0] default-on\n");
        File.WriteAllText(dir.File("ACT/brightness"), "0\n");
        File.WriteAllText(dir.File("ACT/max_brightness"), "255\n");
        return new Rig("sysfs", () => SysfsLed.Open(dir.Path, "ACT"), () => File.ReadAllText(dir.File("ACT/brightness")).Trim() == "255", dir);
    }

    private static Rig GpioRig(FakeTimeProvider clock)
    {
        var driver = new FakeGpioDriver(clock);
        // Active-low wiring: lit = the line driven low.
        return new Rig("gpio", () => new GpioLed(new GpioController(driver), "gpiochip9", 17, activeLow: true), () => !driver.High(17));
    }

    public static IEnumerable<Func<(string Driver, string Pattern)>> Cases() =>
        from d in new[] { "pin", "sysfs", "gpio" }
        from p in LedPatterns.All
        select (Func<(string, string)>)(() => (d, p.Word));

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task Every_pattern_plays_its_timeline_on_every_driver((string Driver, string Pattern) c)
    {
        var clock = new FakeTimeProvider(T0);
        var rig = MakeRig(c.Driver, clock);
        using var cleanup = rig.Cleanup;
        var pattern = LedPatterns.All.Single(p => p.Word == c.Pattern);
        var state = new BoardState();
        var player = new LedPlayer(rig.Open, () => pattern, state, clock, NullLogger<LedPlayer>.Instance);
        await player.StartAsync(CancellationToken.None);
        try
        {
            await Wait.Until(() => state.LedDevice != "none", TimeSpan.FromSeconds(10), "the LED to be opened");
            // Walk two cycles edge by edge: at each instant the light must be what the pattern says.
            var elapsed = TimeSpan.Zero;
            for (var cycle = 0; cycle < 2; cycle++)
            for (var i = 0; i < pattern.OnOffMs.Count; i++)
            {
                if (pattern.OnOffMs[i] == 0) continue;
                var expected = i % 2 == 0;
                await Wait.Until(() => rig.Lit() == expected && clock.GetUtcNow() - T0 == elapsed, TimeSpan.FromSeconds(10),
                    $"{c.Pattern} on {c.Driver}: {(expected ? "on" : "off")} at {elapsed.TotalMilliseconds} ms");
                // Half-way through the segment nothing has changed.
                var half = TimeSpan.FromMilliseconds(pattern.OnOffMs[i] / 2.0);
                await AdvanceInSteps(player, clock, half);
                await Assert.That(rig.Lit()).IsEqualTo(expected);
                await AdvanceInSteps(player, clock, TimeSpan.FromMilliseconds(pattern.OnOffMs[i]) - half);
                elapsed += TimeSpan.FromMilliseconds(pattern.OnOffMs[i]);
            }
        }
        finally { await player.StopAsync(CancellationToken.None); }
    }

    /// <summary>The loop never waits longer than a second, so a long segment is crossed one wake-up at a time.</summary>
    private static async Task AdvanceInSteps(LedPlayer player, FakeTimeProvider clock, TimeSpan by)
    {
        while (by > TimeSpan.Zero)
        {
            // The loop wakes on the thread pool: move the clock only once it is parked on a future time again.
            await Wait.Until(() => player.NextWake > clock.GetUtcNow(), TimeSpan.FromSeconds(10), "the LED loop to wait for its next step");
            var step = player.NextWake - clock.GetUtcNow();
            if (step > by) step = by;
            clock.Advance(step);
            by -= step;
        }
    }

    [Test]
    public async Task Arming_the_reset_shows_at_once_and_the_old_pattern_comes_back_after()
    {
        var clock = new FakeTimeProvider(T0);
        var pin = new RecordingPin();
        var state = new BoardState();
        var player = new LedPlayer(() => pin, () => LedPatterns.For(new ApplianceState(LightNvr.Go2rtc.Go2rtcPhase.Ready, 1, 0, 0, false, true), state.ResetArmed),
            state, clock, NullLogger<LedPlayer>.Instance);
        await player.StartAsync(CancellationToken.None);
        try
        {
            await Wait.Until(() => pin.On, TimeSpan.FromSeconds(10), "solid: on");
            await AdvanceInSteps(player, clock, TimeSpan.FromMilliseconds(300));
            state.ResetArmed = true; // no clock movement: the change itself wakes the loop
            var armedAt = clock.GetUtcNow();
            await Wait.Until(() => player.NextWake == armedAt + TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10),
                "the armed pattern to start at its first 150 ms flash");
            await Assert.That(pin.On).IsTrue();
            await AdvanceInSteps(player, clock, TimeSpan.FromMilliseconds(150));
            await Wait.Until(() => !pin.On, TimeSpan.FromSeconds(10), "armed: the first gap after 150 ms (solid never goes dark)");
            state.ResetArmed = false;
            await Wait.Until(() => pin.On, TimeSpan.FromSeconds(10), "back to solid without waiting for the clock");
        }
        finally { await player.StopAsync(CancellationToken.None); }
    }
}
