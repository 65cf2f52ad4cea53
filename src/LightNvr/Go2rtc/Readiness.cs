namespace LightNvr.Go2rtc;

/// <summary>
/// When a spawned go2rtc counts as ready (its listen line, then its API answering, from this very
/// process), and what being ready means: a new generation, the ready hooks, the restart recorded,
/// and only then the status Ready.
/// </summary>
internal sealed class Readiness(SupervisorContext context, IGo2rtcClient client, Go2rtcPorts ports, RestartSeries series)
{
    private readonly List<Func<int, CancellationToken, Task>> _hooks = [];

    private TimeSpan Deadline => TimeSpan.FromMilliseconds(context.Settings.ReadyTimeoutMs);

    public void AddHook(Func<int, CancellationToken, Task> hook) => _hooks.Add(hook);

    /// <summary>Null when ready; otherwise why not, in words.</summary>
    public async Task<string?> WaitAsync(Go2rtcRun run, CancellationToken stop)
    {
        var deadline = Deadline;
        using var expiry = new CancellationTokenSource(deadline, context.Clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop, expiry.Token);
        var first = await Task.WhenAny(run.ApiListening, run.ListenFailed, run.Process.Exited, Task.Delay(Timeout.Infinite, timeout.Token));
        stop.ThrowIfCancellationRequested();
        if (first == run.ListenFailed) return ports.ListenFailure(run.ListenFailed.Result);
        if (first == run.Process.Exited) return ExitedDuringStartUp(run);
        if (first != run.ApiListening)
            return $"go2rtc printed no '[api] listen addr=127.0.0.1:{context.Settings.ApiPort}' line within {deadline.TotalSeconds:0.#} s{context.LastLines()}";
        // The line alone is not enough: the API must answer, from this very process.
        while (true)
        {
            string? version;
            // The deadline cancels this call too: a hung or failing API is an answer ("not ready"), never an exception.
            try { version = await client.GetVersionAsync(TimeSpan.FromSeconds(1), timeout.Token); }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested) { version = null; }
            if (version is not null) break;
            if (run.Process.Exited.IsCompleted) return ExitedDuringStartUp(run);
            if (timeout.IsCancellationRequested)
            {
                stop.ThrowIfCancellationRequested();
                return $"go2rtc's API did not answer within {deadline.TotalSeconds:0.#} s";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), context.Clock, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        if (run.ListenFailed.IsCompleted) return ports.ListenFailure(run.ListenFailed.Result);
        if (!ports.ApiOwnedBy(run.Process.Pid))
            return $"port {context.Settings.ApiPort} answers, but not from go2rtc (pid {run.Process.Pid}): {ports.OwnerOf(context.Settings.ApiPort)}";
        return null;
    }

    /// <summary>After go2rtc re-executed itself in place: null once its API answers again, otherwise why not.</summary>
    public async Task<string?> WaitAgainAsync(Go2rtcRun run, CancellationToken stop)
    {
        var since = context.Clock.GetTimestamp();
        while (context.Clock.GetElapsedTime(since) < Deadline)
        {
            if (run.Process.Exited.IsCompleted) return $"go2rtc exited while restarting in place ({run.Process.Exited.Result})";
            if (await client.GetVersionAsync(TimeSpan.FromSeconds(1), stop) is not null) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(10), context.Clock, stop);
        }
        return "go2rtc did not come back after restarting in place";
    }

    public async Task BecomeReadyAsync(Go2rtcRun run, CancellationToken stop)
    {
        var startupMs = Math.Round(context.Clock.GetElapsedTime(run.SpawnedAt).TotalMilliseconds, 1);
        var generation = context.Publish(s => s with { Generation = s.Generation + 1, StartupMs = startupMs }).Generation;
        foreach (var hook in _hooks)
        {
            try { await hook(generation, stop); }
            catch (Exception e) when (!stop.IsCancellationRequested) { context.Log.LogError(e, "after go2rtc became ready"); }
        }
        series.Record(ok: true); // in the history before anyone can see Ready
        context.Publish(s => s with { Phase = Go2rtcPhase.Ready, ReadyAt = context.Clock.GetUtcNow(), Message = $"go2rtc {s.Version} ready", LastExit = s.LastExit });
        context.Log.LogInformation("go2rtc ready in {Ms} ms (pid {Pid}, generation {Generation})", startupMs, run.Process.Pid, generation);
    }

    private string ExitedDuringStartUp(Go2rtcRun run) => $"go2rtc exited during start-up ({run.Process.Exited.Result}){context.LastLines()}";
}
