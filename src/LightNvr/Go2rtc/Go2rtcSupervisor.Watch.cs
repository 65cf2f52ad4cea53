using LightNvr.Health;
using LightNvr.Posix;

namespace LightNvr.Go2rtc;

// While go2rtc runs: notice its exit at once, an in-place re-exec, a late bind failure, or a restart
// request; and the one way it is stopped.
public sealed partial class Go2rtcSupervisor
{
    private async Task WatchAsync(CancellationToken stop)
    {
        var run = _run!;
        var readyAt = _clock.GetTimestamp();
        while (true)
        {
            var wake = WakeSignal;
            if (RestartRequested)
            {
                // A hung go2rtc will not act on SIGTERM: it gets a short grace, then SIGKILL.
                RestartReason reason;
                lock (_requestGate) reason = _restartReason;
                await StopCurrentAsync("restart requested", reason == RestartReason.Hung ? HungGrace : null);
                return;
            }
            var done = await Task.WhenAny(run.Process.Exited, run.ListenFailed, run.ReExecuted, wake, Task.Delay(Timeout.Infinite, stop));
            stop.ThrowIfCancellationRequested();
            if (done == run.Process.Exited)
            {
                var exit = run.Process.Exited.Result;
                _log.LogError("go2rtc (pid {Pid}) exited: {Exit}{Last}", run.Process.Pid, exit, LastLines());
                var ranFor = _clock.GetElapsedTime(readyAt);
                await StopCurrentAsync("exited");
                Publish(s => s with { LastExit = $"{exit} at {_clock.GetUtcNow():u}", Message = $"go2rtc exited ({exit})", Restarts = s.Restarts + 1 });
                var now = _clock.GetTimestamp();
                _nextReason = RestartReason.Exited;
                if (RestartPacing.RespawnAtOnce(_lastImmediate is { } last ? _clock.GetElapsedTime(last, now) : TimeSpan.MaxValue))
                {
                    _lastImmediate = now;
                    _failures = RestartPacing.AfterRun(_failures, ranFor, becameReady: true);
                    return;
                }
                _failures = RestartPacing.AfterRun(_failures, ranFor, becameReady: true) - 1; // BackoffAsync adds this one
                await BackoffAsync(stop);
                return;
            }
            if (done == run.ListenFailed)
            {
                var message = PortInUseMessage(run.ListenFailed.Result);
                await StopCurrentAsync(message);
                Publish(s => s with { Phase = Go2rtcPhase.PortConflict, Message = message });
                await BackoffAsync(stop);
                return;
            }
            if (done == run.ReExecuted)
            {
                // POST /api/restart re-execs go2rtc in place: same PID, all streams gone.
                _log.LogWarning("go2rtc restarted itself in place (pid {Pid})", run.Process.Pid);
                run.ArmReExec();
                run.SpawnedAt = _clock.GetTimestamp();
                Publish(s => s with { Phase = Go2rtcPhase.Starting, Message = "go2rtc restarted itself in place", Restarts = s.Restarts + 1 });
                var failure = await WaitApiAgainAsync(run, stop);
                if (failure is not null)
                {
                    await StopCurrentAsync(failure);
                    Publish(s => s with { Message = failure });
                    await BackoffAsync(stop);
                    return;
                }
                await BecomeReadyAsync(run, stop);
                readyAt = _clock.GetTimestamp();
            }
        }
    }

    private async Task<string?> WaitApiAgainAsync(Go2rtcRun run, CancellationToken stop)
    {
        var deadline = _clock.GetTimestamp();
        while (_clock.GetElapsedTime(deadline) < TimeSpan.FromMilliseconds(_settings.ReadyTimeoutMs))
        {
            if (run.Process.Exited.IsCompleted) return $"go2rtc exited while restarting in place ({run.Process.Exited.Result})";
            if (await Api.GetVersionAsync(TimeSpan.FromSeconds(1), stop) is not null) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(10), _clock, stop);
        }
        return "go2rtc did not come back after restarting in place";
    }

    /// <summary>
    /// SIGTERM to go2rtc's process group, up to the grace period, then SIGKILL (as soon as it is seen
    /// stopped: SIGTERM would wait for a SIGCONT that never comes), reap our own PID, and wait until
    /// its ports are free so the next spawn cannot collide with it.
    /// </summary>
    /// <summary>How long a go2rtc found hung gets between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan HungGrace = TimeSpan.FromMilliseconds(300);

    private async Task StopCurrentAsync(string why, TimeSpan? grace = null)
    {
        var graceTime = grace ?? _options.StopGrace;
        var run = _run;
        if (run is null) return;
        var process = run.Process;
        if (!process.Exited.IsCompleted)
        {
            Publish(s => s with { Phase = Go2rtcPhase.Stopping, Message = $"stopping go2rtc: {why}" });
            process.Signal(15);
            var since = _clock.GetTimestamp();
            while (!process.Exited.IsCompleted)
            {
                if (ProcFs.State(process.Pid) is 'T' or 't')
                {
                    _log.LogWarning("go2rtc (pid {Pid}) is stopped (SIGSTOP): SIGKILL without waiting", process.Pid);
                    break;
                }
                if (_clock.GetElapsedTime(since) >= graceTime)
                {
                    _log.LogWarning("go2rtc (pid {Pid}) ignored SIGTERM for {Seconds} s: SIGKILL", process.Pid, graceTime.TotalSeconds);
                    break;
                }
                await Task.WhenAny(process.Exited, Task.Delay(TimeSpan.FromMilliseconds(50), _clock));
            }
            if (!process.Exited.IsCompleted) process.Signal(9);
            await process.Exited;
            _log.LogInformation("go2rtc (pid {Pid}) stopped: {Exit}", process.Pid, process.Exited.Result);
        }
        await Task.WhenAny(process.OutputCompleted, Task.Delay(TimeSpan.FromMilliseconds(500), _clock));
        process.Dispose();
        PidFile.Delete(PidPath);
        _run = null;
        Publish(s => s with { Pid = null });
        await WaitPortsFreeAsync(CancellationToken.None);
    }

    private (string Name, int Port, bool Udp)[] Ports =>
    [
        ("API", _settings.ApiPort, false), ("RTSP", _settings.RtspPort, false),
        ("WebRTC", _settings.WebrtcPort, false), ("WebRTC", _settings.WebrtcPort, true),
    ];

    private static bool Busy((string Name, int Port, bool Udp) p) => p.Udp ? ProcFs.IsUdpPortBound(p.Port) : ProcFs.IsTcpPortListening(p.Port);

    private async Task WaitPortsFreeAsync(CancellationToken stop)
    {
        var start = _clock.GetTimestamp();
        while (Ports.Any(Busy) && _clock.GetElapsedTime(start) < _options.PortFreeDeadline)
            await Task.Delay(TimeSpan.FromMilliseconds(10), _clock, stop);
    }

    /// <summary>Before a spawn: a port still held by someone is a conflict, named with its owner.</summary>
    private async Task<string?> BusyPortAsync(CancellationToken stop)
    {
        await WaitPortsFreeAsync(stop);
        foreach (var p in Ports.Where(Busy))
            return $"go2rtc's {p.Name} port {p.Port}/{(p.Udp ? "udp" : "tcp")} is in use by {OwnerOf(p.Port, p.Udp)}";
        return null;
    }

    private static string PortInUseMessage(string listenError)
    {
        var port = BindPort().Match(listenError) is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;
        var owner = port > 0 ? $": port {port} is in use by {OwnerOf(port)}" : "";
        return $"go2rtc could not listen{owner} ({listenError})";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@":(\d+): bind")]
    private static partial System.Text.RegularExpressions.Regex BindPort();

    private static string OwnerOf(int port, bool udp = false)
    {
        var pid = udp ? null : ProcFs.ListeningTcpPortOwner(port);
        return pid is { } p ? $"PID {p} ({ProcFs.Comm(p) ?? "?"})" : "another process";
    }

    private async Task StopLeftoverAsync(CancellationToken stop)
    {
        if (PidFile.FindLeftover(PidPath) is not { } leftover) return;
        _log.LogWarning("stopping the go2rtc a previous run left behind ({Identity})", leftover);
        await PidFile.StopLeftoverAsync(leftover, _clock, stop);
        PidFile.Delete(PidPath);
    }
}
