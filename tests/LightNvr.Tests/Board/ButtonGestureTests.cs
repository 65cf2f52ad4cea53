using LightNvr.Board;

namespace LightNvr.Tests.Board;

/// <summary>The reset button's gesture machine over (edge, time) and (tick, time): a table of timelines.</summary>
public class ButtonGestureTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-12-01T00:00:00Z");
    private static readonly GestureTimes Times = GestureTimes.Default;

    /// <summary>
    /// A timeline: "+ms" press edge, "-ms" release edge, "tms" a tick. The machine is also shown the time at
    /// each of its own deadlines in between, as the service does. Result: the gestures in order, "kind@ms".
    /// </summary>
    private static string Run(string timeline)
    {
        var s = ButtonState.Idle;
        var seen = new List<string>();
        void Take(IReadOnlyList<GestureEvent> events) =>
            seen.AddRange(events.Select(e => $"{e.Kind}@{(e.At - T0).TotalMilliseconds:0}"));
        void Until(DateTimeOffset t)
        {
            while (s.NextDeadline(Times) is { } d && d <= t)
            {
                var (next, events) = ButtonGestures.Tick(s, d, Times);
                s = next;
                Take(events);
            }
        }
        foreach (var step in timeline.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = T0.AddMilliseconds(double.Parse(step[1..]));
            Until(at);
            if (step[0] == 't') { var (n, e) = ButtonGestures.Tick(s, at, Times); s = n; Take(e); continue; }
            var (next, events) = ButtonGestures.Edge(s, step[0] == '+', at, Times);
            s = next;
            Take(events);
        }
        Until(T0.AddHours(1));
        return string.Join(" ", seen);
    }

    [Test]
    [Arguments("+0 -400", "ShortPress@400")]
    [Arguments("+0 -1999", "ShortPress@1999")]
    [Arguments("+0 -2000", "LongPress@2000")]                                   // 2 s is no longer short
    [Arguments("+0 -9999", "LongPress@9999")]                                   // released before arming: nothing done
    [Arguments("+0 -10000", "Armed@10000 FactoryReset@10000")]
    [Arguments("+0 -12500", "Armed@10000 FactoryReset@12500")]                  // released within the 5 s window
    [Arguments("+0 -14999", "Armed@10000 FactoryReset@14999")]
    [Arguments("+0 -15000", "Armed@10000 Cancelled@15000")]                     // held to 15 s: cancelled
    [Arguments("+0 -60000", "Armed@10000 Cancelled@15000")]                     // and the late release does nothing
    [Arguments("+0 -20", "")]                                                  // shorter than the debounce: a glitch
    [Arguments("+0 -5 +8 -12 +15 -300", "ShortPress@300")]                      // a bouncing press is one press
    [Arguments("+0 -300 +310 -315 +318 -900", "ShortPress@900")]                // re-pressed 10 ms after release: the same press goes on
    [Arguments("+0 -300 +400 -700", "ShortPress@300 ShortPress@700")]           // two presses 100 ms apart are two
    [Arguments("-50 +100 -500", "ShortPress@500")]                              // a release with no press seen (held at start) is ignored
    [Arguments("+0 +5 -400", "ShortPress@400")]                                 // a repeated press edge changes nothing
    [Arguments("+0 -12000 +12010 -14000", "Armed@10000 FactoryReset@14000")]    // a bounce on the armed release keeps the hold
    [Arguments("+0 t5000 t10000 t12000 -13000", "Armed@10000 FactoryReset@13000")]
    public async Task Timelines_give_their_gestures(string timeline, string gestures)
    {
        await Assert.That(Run(timeline)).IsEqualTo(gestures);
    }

    [Test]
    public async Task Deadlines_ask_for_ticks_only_while_something_can_happen()
    {
        await Assert.That(ButtonState.Idle.NextDeadline(Times)).IsNull();
        var (held, _) = ButtonGestures.Edge(ButtonState.Idle, true, T0, Times);
        await Assert.That(held.NextDeadline(Times)).IsEqualTo(T0.AddSeconds(10));
        var (armed, events) = ButtonGestures.Tick(held, T0.AddSeconds(10), Times);
        await Assert.That(events.Single().Kind).IsEqualTo(Gesture.Armed);
        await Assert.That(armed.NextDeadline(Times)).IsEqualTo(T0.AddSeconds(15));
        var (cancelled, _) = ButtonGestures.Tick(armed, T0.AddSeconds(15), Times);
        await Assert.That(cancelled.NextDeadline(Times)).IsNull();
        var (releasing, _) = ButtonGestures.Edge(cancelled, false, T0.AddSeconds(20), Times);
        await Assert.That(releasing.NextDeadline(Times)).IsEqualTo(T0.AddSeconds(20) + Times.Debounce);
    }
}
