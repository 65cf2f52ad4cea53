using LightNvr.Go2rtc;
using System.Device.Gpio;
using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Board;

/// <summary>
/// The reset button service through System.Device.Gpio's controller on an in-memory chip, on a fake clock:
/// a person's presses become edges, the gestures become actions, the LED's armed state and the page's words.
/// </summary>
public class ResetButtonTests
{
    private sealed class Actions : IButtonActions
    {
        public List<RestartReason> Restarts { get; } = [];
        public List<string> Resets { get; } = [];
        public Task<string> RestartGo2rtcAsync(RestartReason reason) { lock (Restarts) Restarts.Add(reason); return Task.FromResult("go2rtc restarted (pid 42)"); }
        public string FactoryReset(string by) { lock (Resets) Resets.Add(by); return "done; the previous files are in /x"; }
    }

    private sealed class Rig : IAsyncDisposable
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
        public FakeGpioDriver Chip { get; }
        public Actions Actions { get; } = new();
        public BoardState State { get; } = new();
        public ResetButton Button { get; }
        public List<string> Opened { get; } = [];

        public Rig()
        {
            Chip = new FakeGpioDriver(Clock);
            var settings = new ButtonSettings { Chip = "lnvr-sim", Line = 27, Pull = "up", ActiveLow = true };
            Button = new ResetButton(settings, chip => { Opened.Add(chip); return new GpioController(Chip); }, Actions, State, Clock, NullLogger<ResetButton>.Instance);
        }

        public async Task Start()
        {
            await Button.StartAsync(CancellationToken.None);
            await Wait.Until(() => Button.ParkedUntil == DateTimeOffset.MaxValue, TimeSpan.FromSeconds(10), "the button to wait for edges");
        }

        /// <summary>Pressed = the line pulled low (a button to ground with the pull-up on).</summary>
        public async Task Press(bool pressed)
        {
            var before = Button.EdgesTaken;
            Chip.Drive(27, !pressed);
            await Wait.Until(() => Button.EdgesTaken > before, TimeSpan.FromSeconds(10), "the button to take the edge");
            await Parked();
        }

        private Task Parked() =>
            Wait.Until(() => Button.ParkedUntil > Clock.GetUtcNow(), TimeSpan.FromSeconds(10), "the button to wait again");

        /// <summary>Moves the fake clock, one parked deadline at a time, as real time would pass.</summary>
        public async Task Hold(TimeSpan by)
        {
            var until = Clock.GetUtcNow() + by;
            await Parked();
            while (Clock.GetUtcNow() < until)
            {
                var parked = Button.ParkedUntil;
                var next = parked < until ? parked : until;
                Clock.Advance(next - Clock.GetUtcNow());
                if (next == parked) await Wait.Until(() => Button.ParkedUntil != parked, TimeSpan.FromSeconds(10), "the button to wake at its deadline");
                await Parked();
            }
        }

        public async ValueTask DisposeAsync() => await Button.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task The_line_is_an_input_with_the_configured_pull_and_the_page_names_it()
    {
        await using var rig = new Rig();
        await rig.Start();
        await Assert.That(rig.Opened).IsEquivalentTo(["lnvr-sim"]);
        await Assert.That(rig.Chip.ModeOf(27)).IsEqualTo(PinMode.InputPullUp);
        await Assert.That(rig.State.ButtonDevice).IsEqualTo("gpio lnvr-sim line 27 (pull up, active low)");
    }

    [Test]
    public async Task A_short_press_restarts_go2rtc_with_reason_button_and_says_so()
    {
        await using var rig = new Rig();
        await rig.Start();
        await rig.Press(true);
        await rig.Hold(TimeSpan.FromMilliseconds(400));
        await rig.Press(false);
        await rig.Hold(TimeSpan.FromMilliseconds(100));
        await Wait.Until(() => rig.Actions.Restarts.Count == 1, TimeSpan.FromSeconds(10), "one restart");
        await Assert.That(rig.Actions.Restarts[0]).IsEqualTo(RestartReason.Button);
        await Wait.Until(() => rig.State.LastGesture.Contains("go2rtc restarted"), TimeSpan.FromSeconds(10), "the outcome on the page");
        await Assert.That(rig.State.LastGesture).Contains("short press (0.4 s)");
        await Assert.That(rig.Actions.Resets).IsEmpty();
    }

    [Test]
    public async Task Held_10_s_arms_the_led_and_a_release_within_5_s_resets()
    {
        await using var rig = new Rig();
        await rig.Start();
        await rig.Press(true);
        await rig.Hold(TimeSpan.FromMilliseconds(9_900));
        await Assert.That(rig.State.ResetArmed).IsFalse();
        await rig.Hold(TimeSpan.FromMilliseconds(100));
        await Wait.Until(() => rig.State.ResetArmed, TimeSpan.FromSeconds(10), "armed at 10 s without any edge");
        await Assert.That(rig.State.LastGesture).Contains("factory reset armed");
        await rig.Hold(TimeSpan.FromSeconds(2));
        await rig.Press(false);
        await rig.Hold(TimeSpan.FromMilliseconds(100));
        await Wait.Until(() => rig.Actions.Resets.Count == 1, TimeSpan.FromSeconds(10), "the factory reset");
        await Assert.That(rig.State.ResetArmed).IsFalse();
        await Assert.That(rig.State.LastGesture).Contains("released after 12.0 s: factory reset: done");
        await Assert.That(rig.Actions.Restarts).IsEmpty();
    }

    [Test]
    public async Task Held_past_15_s_cancels_and_the_release_does_nothing()
    {
        await using var rig = new Rig();
        await rig.Start();
        await rig.Press(true);
        await rig.Hold(TimeSpan.FromSeconds(12));
        await Assert.That(rig.State.ResetArmed).IsTrue();
        await rig.Hold(TimeSpan.FromSeconds(3));
        await Wait.Until(() => !rig.State.ResetArmed, TimeSpan.FromSeconds(10), "cancelled at 15 s");
        await Assert.That(rig.State.LastGesture).Contains("cancelled");
        await rig.Hold(TimeSpan.FromSeconds(5));
        await rig.Press(false);
        await rig.Hold(TimeSpan.FromSeconds(1));
        await Assert.That(rig.Actions.Resets).IsEmpty();
        await Assert.That(rig.Actions.Restarts).IsEmpty();
    }

    [Test]
    public async Task A_middle_length_press_does_nothing_and_says_why()
    {
        await using var rig = new Rig();
        await rig.Start();
        await rig.Press(true);
        await rig.Hold(TimeSpan.FromSeconds(4));
        await rig.Press(false);
        await rig.Hold(TimeSpan.FromMilliseconds(100));
        await Wait.Until(() => rig.State.LastGesture.Contains("nothing done"), TimeSpan.FromSeconds(10), "the long press on the page");
        await Assert.That(rig.Actions.Restarts).IsEmpty();
        await Assert.That(rig.Actions.Resets).IsEmpty();
    }

    [Test]
    public async Task A_chip_that_cannot_be_opened_is_shown_and_tried_again_without_ending_anything()
    {
        var clock = new FakeTimeProvider();
        var state = new BoardState();
        var tries = 0;
        var button = new ResetButton(new ButtonSettings { Chip = "gpiochip7" }, _ => { tries++; throw new IOException("no GPIO chip named 'gpiochip7'"); },
            new Actions(), state, clock, NullLogger<ResetButton>.Instance) { RetryEvery = TimeSpan.FromSeconds(30) };
        await button.StartAsync(CancellationToken.None);
        await Wait.Until(() => state.ButtonDevice.Contains("no GPIO chip named 'gpiochip7'"), TimeSpan.FromSeconds(10), "the error on the page");
        await Wait.Until(() => { clock.Advance(TimeSpan.FromSeconds(30)); return tries >= 2; }, TimeSpan.FromSeconds(10), "a second try");
        await button.StopAsync(CancellationToken.None);
    }
}
