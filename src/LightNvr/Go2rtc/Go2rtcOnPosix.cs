using LightNvr.Posix;

namespace LightNvr.Go2rtc;

/// <summary>The real process seam: posix_spawn through <see cref="SpawnedProcess"/>, questions through <see cref="ProcFs"/>.</summary>
public sealed class Go2rtcOnPosix : IGo2rtcProcesses
{
    public Task<LocatedBinary> LocateAsync(string configured, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancel) => BinaryLocator.LocateAsync(configured, workingDirectory, environment, cancel);

    public IGo2rtcProcess Spawn(SpawnRequest request) => new Spawned(SpawnedProcess.Spawn(request));

    public bool IsStopped(int pid) => ProcFs.State(pid) is 'T' or 't';

    public bool IsTcpPortListening(int port) => ProcFs.IsTcpPortListening(port);

    public bool IsUdpPortBound(int port) => ProcFs.IsUdpPortBound(port);

    public bool OwnsListeningTcpPort(int pid, int port) => ProcFs.OwnsListeningTcpPort(pid, port);

    public int? ListeningTcpPortOwner(int port) => ProcFs.ListeningTcpPortOwner(port);

    public string? Comm(int pid) => ProcFs.Comm(pid);

    private sealed class Spawned(SpawnedProcess process) : IGo2rtcProcess
    {
        public int Pid => process.Pid;
        public ProcessIdentity Identity => process.Identity;
        public string ExecutablePath => process.ExecutablePath;
        public Task<ExitStatus> Exited => process.Exited;
        public Task OutputCompleted => process.OutputCompleted;
        public bool Signal(int signal) => process.Signal(signal);
        public void Dispose() => process.Dispose();
        public override string ToString() => process.ToString();
    }
}
