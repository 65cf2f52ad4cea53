namespace LightNvr.Hosting;

/// <summary>
/// The body of every background service. .NET's host stops the whole appliance (page, API and all)
/// when a BackgroundService's ExecuteAsync throws, so no fault inside a loop may reach it: anything
/// that escapes the body (a timeout's TaskCanceledException included: only the stop token ends a
/// loop) is logged and the body runs again after a pause that doubles from 1 s to 30 s.
/// </summary>
public static class GuardedLoop
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    /// <param name="body">Returns normally only when its work is done for good (then the loop ends).</param>
    public static async Task RunAsync(string name, Func<CancellationToken, Task> body, ILogger log, TimeProvider clock, CancellationToken stop)
    {
        var pause = FirstPause;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await body(stop);
                return;
            }
            catch (Exception e)
            {
                if (stop.IsCancellationRequested) return; // stopping: whatever the body threw on its way out
                log.LogError(e, "{Name} failed ({Error}); it runs again in {Seconds} s", name, e.Message, pause.TotalSeconds);
            }
            try { await Task.Delay(pause, clock, stop); }
            catch (OperationCanceledException) { return; }
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }
}
