using System.Runtime.InteropServices;

namespace LightNvr.Posix;

/// <summary>
/// A child we started with posix_spawn, in its own process group, and everything we watch it with:
/// its output (<see cref="SpawnRequest.OnOutputLine"/>), its exit (<see cref="Exited"/>), and the one
/// safe way to signal it (<see cref="Signal"/>).
/// <para>
/// Reaping: a dedicated thread blocks in waitid() on THIS pid only. waitpid(-1) would steal other
/// subsystems' children (the C version's bug); WNOHANG polling adds latency and CPU wake-ups.
/// </para>
/// </summary>
public sealed unsafe class SpawnedProcess : IDisposable
{
    private readonly OutputPump _output;
    private readonly TaskCompletionSource<ExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private bool _reaped; // guarded by _gate: once true, Pid may belong to someone else
    private int _disposed;

    public int Pid { get; }

    /// <summary>Field 22 of /proc/PID/stat, read right after the spawn (clock ticks after boot).</summary>
    public ulong StartTime { get; }

    public ProcessIdentity Identity => new(Pid, StartTime);

    public string ExecutablePath { get; }

    /// <summary>Completes as soon as the child has exited and been reaped; never faults.</summary>
    public Task<ExitStatus> Exited => _exited.Task;

    /// <summary>Completes when both pipes hit EOF (or Dispose) and every line was handed to the callback.</summary>
    public Task OutputCompleted => _output.Completed;

    private SpawnedProcess(string path, PosixSpawn.Result started, Action<string, bool>? onLine, int maxLineBytes)
    {
        ExecutablePath = path;
        Pid = started.Pid;
        // Read before the waiter thread exists: until we reap it, even a dead child keeps its /proc entry.
        StartTime = ProcFs.StartTime(Pid) ?? 0;
        _output = new OutputPump(started.StdoutFd, started.StderrFd, maxLineBytes, onLine, $"out {Pid}");
        new Thread(WaitForExit) { IsBackground = true, Name = $"wait {Pid}" }.Start();
    }

    /// <summary>Starts the child. Throws <see cref="SpawnException"/> naming the path and errno if exec fails.</summary>
    public static SpawnedProcess Spawn(SpawnRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MaxLineBytes < 1) throw new ArgumentOutOfRangeException(nameof(request), "MaxLineBytes must be positive");
        foreach (var key in request.Environment.Keys)
        {
            if (key.Length == 0 || key.Contains('=')) throw new ArgumentException($"invalid environment variable name '{key}'", nameof(request));
        }
        // Absolute before the spawn: the child chdirs first, then execs, so a relative path would be
        // looked up in the child's new working directory.
        var path = Path.GetFullPath(request.ExecutablePath);
        var cwd = Path.GetFullPath(request.WorkingDirectory);
        if (!Directory.Exists(cwd))
            throw new SpawnException($"cannot start {path}: the working directory {cwd} does not exist", 2);
        var argv0 = request.Argv0 ?? Path.GetFileName(path);
        var started = PosixSpawn.Start(path, argv0, request.Arguments, cwd, request.Environment);
        return new SpawnedProcess(path, started, request.OnOutputLine, request.MaxLineBytes);
    }

    /// <summary>
    /// Sends a signal to the child's whole process group (go2rtc and the ffmpegs it started).
    /// Returns false, sending nothing, once the child has been reaped: its PID may then belong to an
    /// unrelated process. Signal 0 probes without sending.
    /// </summary>
    public bool Signal(int signal)
    {
        lock (_gate)
        {
            // The waiter reaps under this lock, so the pid (and pgid) cannot be recycled between the
            // check and the kill: until reaped, the child is at worst a zombie still holding its pid.
            if (_reaped) return false;
            if (Native.kill(-Pid, signal) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Native.ESRCH) return false;
            throw new IOException($"kill(-{Pid}, {ExitStatus.SignalName(signal)}) failed: {Native.ErrnoText(errno)}");
        }
    }

    private void WaitForExit()
    {
        var info = stackalloc byte[Native.SiginfoSize];
        // Block until the child has exited, but leave it a zombie (WNOWAIT) so that Signal can never hit a
        // recycled pid; the reap itself happens under the lock just below.
        while (Native.waitid(Native.P_PID, (uint)Pid, info, Native.WEXITED | Native.WNOWAIT) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Native.EINTR) continue;
            // ECHILD: someone else in this process reaped it (waitpid(-1) or SIGCHLD set to SIG_IGN).
            lock (_gate) _reaped = true;
            _exited.TrySetResult(ExitStatus.Unknown);
            return;
        }
        int status = 0, rc;
        lock (_gate)
        {
            do rc = Native.waitpid(Pid, &status, 0);
            while (rc < 0 && Marshal.GetLastPInvokeError() == Native.EINTR);
            _reaped = true;
        }
        _exited.TrySetResult(rc == Pid ? ExitStatus.FromWaitStatus(status) : ExitStatus.Unknown);
    }

    /// <summary>
    /// Ends our watch. A child still running is killed (SIGKILL to its group): a graceful stop is the
    /// caller's job before this, and a child left running with our pipe ends closed would die of
    /// SIGPIPE at its next log line anyway. The reader thread is stopped and joined, the pipes closed;
    /// the waiter thread ends by itself once the killed child is reaped. To keep the child's last
    /// words, await <see cref="Exited"/> and <see cref="OutputCompleted"/> first.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (_gate)
        {
            if (!_reaped) Native.kill(-Pid, 9);
        }
        _output.Stop();
    }

    public override string ToString() => $"{Path.GetFileName(ExecutablePath)} (pid {Pid})";
}
