using System.Device.Gpio;
using System.Threading.Channels;
using LightNvr.Config;

namespace LightNvr.Board;

/// <summary>What the reset button's gestures do; the appliance's real ones are in <see cref="BoardActions"/>.</summary>
public interface IButtonActions
{
    /// <summary>Restarts go2rtc; the returned words say how it went.</summary>
    Task<string> RestartGo2rtcAsync(LightNvr.Go2rtc.RestartReason reason);
    /// <summary>Backs up the person's files and restarts the appliance with defaults; the words say where the backup is.</summary>
    string FactoryReset(string by);
}

/// <summary>
/// The reset button: a GPIO input with edge events. Each edge is stamped on arrival and fed, with ticks
/// at the machine's deadlines, through <see cref="ButtonGestures"/>; every gesture is logged and shown.
/// </summary>
public sealed class ResetButton(ButtonSettings settings, Func<string, GpioController> open, IButtonActions actions, BoardState state,
    TimeProvider clock, ILogger<ResetButton> log) : BackgroundService
{
    internal GestureTimes Times { get; init; } = GestureTimes.Default;
    internal TimeSpan RetryEvery { get; init; } = TimeSpan.FromSeconds(30);
    private long _parkedUntilTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>While parked, the time the loop waits for (MaxValue: only an edge); MinValue while it works. For tests on a fake clock.</summary>
    internal DateTimeOffset ParkedUntil => new(Volatile.Read(ref _parkedUntilTicks), TimeSpan.Zero);
    private long _edgesTaken;
    internal long EdgesTaken => Interlocked.Read(ref _edgesTaken);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        if (settings.Chip.Length == 0) return;
        var where = $"gpio {settings.Chip} line {settings.Line} (pull {settings.Pull}{(settings.ActiveLow ? ", active low" : "")})";
        while (!stop.IsCancellationRequested)
        {
            var edges = Channel.CreateUnbounded<(bool Pressed, DateTimeOffset At)>(new UnboundedChannelOptions { SingleReader = true });
            try
            {
                using var gpio = open(settings.Chip);
                gpio.OpenPin(settings.Line, settings.Pull switch { "up" => PinMode.InputPullUp, "down" => PinMode.InputPullDown, _ => PinMode.Input });
                void OnEdge(object sender, PinValueChangedEventArgs e) =>
                    edges.Writer.TryWrite(((e.ChangeType == PinEventTypes.Rising) != settings.ActiveLow, clock.GetUtcNow()));
                gpio.RegisterCallbackForPinValueChangedEvent(settings.Line, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
                state.ButtonDevice = where;
                log.LogInformation("reset button: {Where}", where);
                await WatchAsync(edges.Reader, stop);
            }
            catch (OperationCanceledException) { return; }
            catch (Exception e)
            {
                state.ButtonDevice = $"{where}: error: {e.Message}";
                state.ResetArmed = false;
                log.LogWarning("reset button: {Error}; trying again in {Seconds} s", e.Message, RetryEvery.TotalSeconds);
            }
            try { await Task.Delay(RetryEvery, clock, stop); } catch (OperationCanceledException) { return; }
        }
    }

    private async Task WatchAsync(ChannelReader<(bool Pressed, DateTimeOffset At)> edges, CancellationToken stop)
    {
        var button = ButtonState.Idle;
        var read = edges.WaitToReadAsync(stop).AsTask();
        while (true)
        {
            IReadOnlyList<GestureEvent> events = [];
            if (button.NextDeadline(Times) is { } deadline)
            {
                var wait = deadline - clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    var delay = Task.Delay(wait, clock, cancelDelay.Token);
                    Park(deadline);
                    await Task.WhenAny(read, delay);
                    Park(DateTimeOffset.MinValue);
                    cancelDelay.Cancel();
                }
                if (!read.IsCompleted) (button, events) = ButtonGestures.Tick(button, clock.GetUtcNow(), Times);
            }
            else
            {
                Park(DateTimeOffset.MaxValue);
                await read;
                Park(DateTimeOffset.MinValue);
            }
            stop.ThrowIfCancellationRequested();
            if (read.IsCompleted)
            {
                if (!await read) return;
                while (edges.TryRead(out var edge))
                {
                    var (next, more) = ButtonGestures.Edge(button, edge.Pressed, edge.At, Times);
                    button = next;
                    events = [.. events, .. more];
                    Interlocked.Increment(ref _edgesTaken);
                }
                read = edges.WaitToReadAsync(stop).AsTask();
            }
            foreach (var e in events) await ActAsync(e);
        }
    }

    private void Park(DateTimeOffset until) => Volatile.Write(ref _parkedUntilTicks, until.UtcTicks);

    private async Task ActAsync(GestureEvent e)
    {
        var held = $"{e.Held.TotalSeconds:0.0} s";
        string outcome;
        switch (e.Kind)
        {
            case Gesture.ShortPress:
                outcome = $"short press ({held}): restarting go2rtc";
                Record(outcome, e);
                outcome = $"short press ({held}): {await actions.RestartGo2rtcAsync(LightNvr.Go2rtc.RestartReason.Button)}";
                break;
            case Gesture.LongPress:
                outcome = $"held {held}: nothing done (a press under 2 s restarts go2rtc; hold 10 s, then release, to reset)";
                break;
            case Gesture.Armed:
                state.ResetArmed = true;
                outcome = "held 10 s: factory reset armed; release within 5 s to reset, keep holding to cancel";
                break;
            case Gesture.Cancelled:
                state.ResetArmed = false;
                outcome = "held past 15 s: factory reset cancelled";
                break;
            case Gesture.FactoryReset:
                state.ResetArmed = false;
                outcome = $"released after {held}: factory reset";
                Record(outcome, e);
                outcome = $"released after {held}: factory reset: {actions.FactoryReset("the reset button")}";
                break;
            default: return;
        }
        Record(outcome, e);
    }

    private void Record(string outcome, GestureEvent e)
    {
        state.LastGesture = $"{e.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {outcome}";
        log.LogInformation("reset button: {Outcome}", outcome);
    }
}
