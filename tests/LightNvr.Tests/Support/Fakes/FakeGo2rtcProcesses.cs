using LightNvr.Go2rtc;
using LightNvr.Posix;

namespace LightNvr.Tests.Support.Fakes;

/// <summary>
/// The operating system as the supervisor sees it, under the test's control: a usable go2rtc 1.9.14 is
/// always found, every spawn is recorded, and each spawned go2rtc does what <see cref="OnSpawn"/> says.
/// Ports are free except the API port of a live go2rtc that printed its listen line.
/// </summary>
internal sealed class FakeGo2rtcProcesses(TimeProvider clock, int apiPort) : IGo2rtcProcesses
{
    private readonly List<FakeGo2rtcProcess> _spawned = [];
    private int _nextPid = 4000;

    public enum Start { Ready, ExitAtOnce }

    /// <summary>What the next spawned go2rtc does at once: becomes ready, or dies (a crash loop at start-up).</summary>
    public Start OnSpawn { get; set; } = Start.Ready;

    public IReadOnlyList<FakeGo2rtcProcess> Spawned { get { lock (_spawned) return [.. _spawned]; } }

    public FakeGo2rtcProcess Last => Spawned[^1];

    public Task<LocatedBinary> LocateAsync(string configured, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancel) =>
        Task.FromResult(new LocatedBinary("/opt/go2rtc", Go2rtcVersion.Parse("go2rtc version 1.9.14 linux/amd64"), BinaryProblem.None,
            "go2rtc 1.9.14 at /opt/go2rtc"));

    public IGo2rtcProcess Spawn(SpawnRequest request)
    {
        var process = new FakeGo2rtcProcess(Interlocked.Increment(ref _nextPid), request, clock);
        lock (_spawned) _spawned.Add(process);
        process.Print("INF go2rtc platform=linux/amd64 revision=fake version=1.9.14");
        if (OnSpawn == Start.Ready) process.Print($"INF [api] listen addr=127.0.0.1:{apiPort}");
        else process.Exit(1);
        return process;
    }

    public bool IsStopped(int pid) => false;

    public bool IsTcpPortListening(int port) => port == apiPort && ApiOwner() is not null;

    public bool IsUdpPortBound(int port) => false;

    public bool OwnsListeningTcpPort(int pid, int port) => port == apiPort && ApiOwner() == pid;

    public int? ListeningTcpPortOwner(int port) => port == apiPort ? ApiOwner() : null;

    public string? Comm(int pid) => "go2rtc";

    private int? ApiOwner() => Spawned.LastOrDefault(p => !p.Exited.IsCompleted && p.Listening)?.Pid;
}

/// <summary>One fake go2rtc: its output goes to the supervisor's callback, its signals are recorded with the clock's time.</summary>
internal sealed class FakeGo2rtcProcess(int pid, SpawnRequest request, TimeProvider clock) : IGo2rtcProcess
{
    private readonly TaskCompletionSource<ExitStatus> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Signal, DateTimeOffset At)> _signals = [];

    public int Pid { get; } = pid;
    public ProcessIdentity Identity => new(Pid, 1000);
    public string ExecutablePath => request.ExecutablePath;
    public Task<ExitStatus> Exited => _exited.Task;
    public Task OutputCompleted => _exited.Task;
    public bool Listening { get; private set; }

    /// <summary>A hung go2rtc: SIGTERM does nothing, only SIGKILL ends it.</summary>
    public bool IgnoresTerm { get; set; }

    public IReadOnlyList<(int Signal, DateTimeOffset At)> Signals { get { lock (_signals) return [.. _signals]; } }

    public void Print(string line)
    {
        if (line.Contains("[api] listen addr=")) Listening = true;
        request.OnOutputLine?.Invoke(line, false);
    }

    public void Exit(int code) => _exited.TrySetResult(ExitStatus.Exited(code));

    public bool Signal(int signal)
    {
        if (_exited.Task.IsCompleted) return false;
        lock (_signals) _signals.Add((signal, clock.GetUtcNow()));
        if (signal == 9 || (signal == 15 && !IgnoresTerm)) _exited.TrySetResult(ExitStatus.Killed(signal));
        return true;
    }

    public void Dispose() => _exited.TrySetResult(ExitStatus.Killed(9));
}
