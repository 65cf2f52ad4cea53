namespace LightNvr.Board;

/// <summary>
/// The one loop that plays the current pattern on the LED, on the injected clock. The pattern is asked
/// again at every step (at least once a second, at once when the reset button arms), and a new pattern
/// starts at the beginning of its cycle so its rhythm is recognisable from the first flash.
/// </summary>
public sealed class LedPlayer(Func<ILedOutput> open, Func<LedPattern> current, BoardState state, TimeProvider clock, ILogger<LedPlayer> log)
    : BackgroundService
{
    private static readonly TimeSpan LongestStep = TimeSpan.FromSeconds(1);
    /// <summary>An LED that could not be opened is tried again this often (a chip or LED that appears later).</summary>
    internal TimeSpan RetryEvery { get; init; } = TimeSpan.FromSeconds(30);
    private long _nextWakeTicks;

    /// <summary>When the loop, parked, will next look at the clock (tests step a fake clock against it).</summary>
    internal DateTimeOffset NextWake => new(Volatile.Read(ref _nextWakeTicks), TimeSpan.Zero);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            ILedOutput led;
            try { led = open(); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                state.LedDevice = $"error: {e.Message}";
                log.LogWarning("status LED: {Error}; trying again in {Seconds} s", e.Message, RetryEvery.TotalSeconds);
                try { await Task.Delay(RetryEvery, clock, stop); } catch (OperationCanceledException) { return; }
                continue;
            }
            using (led)
            {
                state.LedDevice = led.Describe;
                log.LogInformation("status LED: {Led}", led.Describe);
                try { await PlayAsync(led, stop); }
                catch (OperationCanceledException) { return; }
                catch (Exception e) // a faulted hosted service would stop the host: an LED fault must not
                {
                    state.LedDevice = $"error: {e.Message}";
                    log.LogWarning("status LED: {Error}; trying again in {Seconds} s", e.Message, RetryEvery.TotalSeconds);
                }
            }
            try { await Task.Delay(RetryEvery, clock, stop); } catch (OperationCanceledException) { return; }
        }
    }

    private async Task PlayAsync(ILedOutput led, CancellationToken stop)
    {
        LedPattern? playing = null;
        var started = clock.GetUtcNow();
        bool? lit = null;
        while (true)
        {
            var changed = state.Changed;
            var pattern = current();
            var now = clock.GetUtcNow();
            if (!ReferenceEquals(pattern, playing)) (playing, started) = (pattern, now);
            var (on, until) = LedTimeline.At(pattern, now - started);
            if (on != lit) { led.Set(on); lit = on; }
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var wait = until < LongestStep ? until : LongestStep;
            var step = Task.Delay(wait, clock, wake.Token);
            Volatile.Write(ref _nextWakeTicks, (now + wait).UtcTicks);
            await Task.WhenAny(step, changed);
            wake.Cancel();
            stop.ThrowIfCancellationRequested();
        }
    }
}
