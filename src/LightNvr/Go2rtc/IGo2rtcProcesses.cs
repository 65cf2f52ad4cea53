using LightNvr.Posix;

namespace LightNvr.Go2rtc;

/// <summary>
/// The supervisor's one door to the operating system: finding and spawning go2rtc, and asking /proc
/// about it and its ports. <see cref="Go2rtcOnPosix"/> is the real one; a fake lets a test drive the
/// supervisor's loop on a fake clock without a process.
/// </summary>
public interface IGo2rtcProcesses
{
    /// <summary>Finds go2rtc and asks it for its version (see <see cref="BinaryLocator"/>).</summary>
    Task<LocatedBinary> LocateAsync(string configured, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancel);

    /// <summary>Starts go2rtc in its own process group; throws <see cref="SpawnException"/> when exec fails.</summary>
    IGo2rtcProcess Spawn(SpawnRequest request);

    /// <summary>Stopped by a signal (SIGSTOP, a debugger): such a process acts on no SIGTERM until it is continued.</summary>
    bool IsStopped(int pid);

    bool IsTcpPortListening(int port);

    bool IsUdpPortBound(int port);

    /// <summary>Whether this PID holds the LISTEN socket of the port: an answer on the port may come from someone else.</summary>
    bool OwnsListeningTcpPort(int pid, int port);

    /// <summary>The PID listening on the port, if it can be seen.</summary>
    int? ListeningTcpPortOwner(int port);

    /// <summary>A process's name, for messages.</summary>
    string? Comm(int pid);
}

/// <summary>A spawned go2rtc as the supervisor watches it (see <see cref="SpawnedProcess"/>).</summary>
public interface IGo2rtcProcess : IDisposable
{
    int Pid { get; }

    /// <summary>PID and start time, for the PID file.</summary>
    ProcessIdentity Identity { get; }

    string ExecutablePath { get; }

    /// <summary>Completes once the process has exited and been reaped; never faults.</summary>
    Task<ExitStatus> Exited { get; }

    /// <summary>Completes when every output line was handed to the request's callback.</summary>
    Task OutputCompleted { get; }

    /// <summary>Signals the process group; false, sending nothing, once the process was reaped.</summary>
    bool Signal(int signal);
}
