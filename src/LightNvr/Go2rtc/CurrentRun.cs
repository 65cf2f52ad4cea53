namespace LightNvr.Go2rtc;

/// <summary>
/// The go2rtc this supervisor runs now: taken on after its spawn (its PID file written so a later
/// appliance can find it), and the one way it is stopped.
/// </summary>
internal sealed class CurrentRun(SupervisorContext context, Go2rtcPorts ports, string pidPath)
{
    private Go2rtcRun? _run;

    public Go2rtcRun? Run => _run;

    public void Adopt(Go2rtcRun run)
    {
        _run = run;
        try { PidFile.Write(pidPath, run.Process.Identity, run.Process.ExecutablePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Log.LogWarning("cannot write {Path}: {Error}", pidPath, e.Message);
        }
    }

    /// <summary>
    /// SIGTERM to go2rtc's process group, up to the grace period, then SIGKILL (as soon as it is seen
    /// stopped: SIGTERM would wait for a SIGCONT that never comes), reap it, and wait until its ports
    /// are free so the next spawn cannot collide with it.
    /// </summary>
    public async Task StopAsync(string why, TimeSpan? grace = null)
    {
        var graceTime = grace ?? context.Options.StopGrace;
        var run = _run;
        if (run is null) return;
        var process = run.Process;
        var clock = context.Clock;
        if (!process.Exited.IsCompleted)
        {
            context.Publish(s => s with { Phase = Go2rtcPhase.Stopping, Message = $"stopping go2rtc: {why}" });
            process.Signal(15);
            var since = clock.GetTimestamp();
            while (!process.Exited.IsCompleted)
            {
                if (context.Os.IsStopped(process.Pid))
                {
                    context.Log.LogWarning("go2rtc (pid {Pid}) is stopped (SIGSTOP): SIGKILL without waiting", process.Pid);
                    break;
                }
                if (clock.GetElapsedTime(since) >= graceTime)
                {
                    context.Log.LogWarning("go2rtc (pid {Pid}) ignored SIGTERM for {Seconds} s: SIGKILL", process.Pid, graceTime.TotalSeconds);
                    break;
                }
                await Task.WhenAny(process.Exited, Task.Delay(TimeSpan.FromMilliseconds(50), clock));
            }
            if (!process.Exited.IsCompleted) process.Signal(9);
            await process.Exited;
            context.Log.LogInformation("go2rtc (pid {Pid}) stopped: {Exit}", process.Pid, process.Exited.Result);
        }
        await Task.WhenAny(process.OutputCompleted, Task.Delay(TimeSpan.FromMilliseconds(500), clock));
        process.Dispose();
        PidFile.Delete(pidPath);
        _run = null;
        context.Publish(s => s with { Pid = null });
        await ports.WaitFreeAsync(CancellationToken.None);
    }

    /// <summary>The go2rtc a previous run of the appliance left behind, if its PID file still names it.</summary>
    public async Task StopLeftoverAsync(CancellationToken stop)
    {
        if (PidFile.FindLeftover(pidPath) is not { } leftover) return;
        context.Log.LogWarning("stopping the go2rtc a previous run left behind ({Identity})", leftover);
        await PidFile.StopLeftoverAsync(leftover, context.Clock, stop);
        PidFile.Delete(pidPath);
    }
}
