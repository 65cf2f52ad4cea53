namespace LightNvr.Go2rtc;

/// <summary>
/// While go2rtc runs: notice at once its exit, an in-place re-exec, a late bind failure, or a restart
/// request, and end the run the way each needs.
/// </summary>
internal sealed class RunWatch(SupervisorContext context, RestartGate gate, CurrentRun current, RestartSeries series,
    Readiness readiness, Go2rtcPorts ports)
{
    public enum Ended { StartNow, AfterBackoff }

    /// <summary>Returns once go2rtc is stopped: whether the next start may follow at once or after the backoff.</summary>
    public async Task<Ended> WatchAsync(CancellationToken stop)
    {
        var run = current.Run!;
        var clock = context.Clock;
        var readyAt = clock.GetTimestamp();
        while (true)
        {
            var wake = gate.WakeSignal;
            if (gate.PendingReason is { } reason)
            {
                // A hung go2rtc will not act on SIGTERM: it gets a short grace, then SIGKILL.
                await current.StopAsync("restart requested", reason == RestartReason.Hung ? Go2rtcSupervisor.HungGrace : null);
                return Ended.StartNow;
            }
            var done = await Task.WhenAny(run.Process.Exited, run.ListenFailed, run.ReExecuted, wake, Task.Delay(Timeout.Infinite, stop));
            stop.ThrowIfCancellationRequested();
            if (done == run.Process.Exited) return await ExitedAsync(run, clock.GetElapsedTime(readyAt));
            if (done == run.ListenFailed)
            {
                var message = ports.ListenFailure(run.ListenFailed.Result);
                await current.StopAsync(message);
                context.Publish(s => s with { Phase = Go2rtcPhase.PortConflict, Message = message });
                return Ended.AfterBackoff;
            }
            if (done == run.ReExecuted)
            {
                if (!await ReExecutedAsync(run, stop)) return Ended.AfterBackoff;
                readyAt = clock.GetTimestamp();
            }
        }
    }

    private async Task<Ended> ExitedAsync(Go2rtcRun run, TimeSpan ranFor)
    {
        var exit = run.Process.Exited.Result;
        context.Log.LogError("go2rtc (pid {Pid}) exited: {Exit}{Last}", run.Process.Pid, exit, context.LastLines());
        await current.StopAsync("exited");
        context.Publish(s => s with { LastExit = $"{exit} at {context.Clock.GetUtcNow():u}", Message = $"go2rtc exited ({exit})", Restarts = s.Restarts + 1 });
        return series.RespawnAtOnce(ranFor) ? Ended.StartNow : Ended.AfterBackoff;
    }

    /// <summary>POST /api/restart re-execs go2rtc in place: same PID, all streams gone. True once it is ready again.</summary>
    private async Task<bool> ReExecutedAsync(Go2rtcRun run, CancellationToken stop)
    {
        context.Log.LogWarning("go2rtc restarted itself in place (pid {Pid})", run.Process.Pid);
        run.ArmReExec();
        run.SpawnedAt = context.Clock.GetTimestamp();
        context.Publish(s => s with { Phase = Go2rtcPhase.Starting, Message = "go2rtc restarted itself in place", Restarts = s.Restarts + 1 });
        var failure = await readiness.WaitAgainAsync(run, stop);
        if (failure is not null)
        {
            await current.StopAsync(failure);
            context.Publish(s => s with { Message = failure });
            return false;
        }
        await readiness.BecomeReadyAsync(run, stop);
        return true;
    }
}
