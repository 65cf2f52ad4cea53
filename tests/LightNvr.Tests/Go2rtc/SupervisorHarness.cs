using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Go2rtc;

/// <summary>A supervisor over a real go2rtc (stand-in or GO2RTC_BINARY) with its own dirs and ports.</summary>
internal sealed class SupervisorHarness : IAsyncDisposable
{
    /// <summary>A lightnvr.yaml for the real appliance run as its own process on this harness's dirs and ports.</summary>
    public string AppConfigFile(int webPort, string binary, string extra = "") => Dir.Write("lightnvr.yaml", $"""
        web:
          listen: 127.0.0.1
          port: {webPort}
        state_dir: {Config.StateDir}
        {extra}go2rtc:
          binary: {binary}
          config_dir: {ConfigDir}
          api_port: {Config.Go2rtc.ApiPort}
          rtsp_port: {Config.Go2rtc.RtspPort}
          webrtc_port: {Config.Go2rtc.WebrtcPort}
        """);

    public TempDir Dir { get; } = new();
    public AppConfig Config { get; }
    public Go2rtcSupervisor Supervisor { get; private set; } = null!;
    public CapturingLogger Log { get; } = new();
    private bool _started;

    public SupervisorHarness(string? binary = null)
    {
        Go2rtcBinary.Announce();
        Config = new AppConfig
        {
            StateDir = Path.Combine(Dir.Path, "state"),
            Go2rtc = new Go2rtcSettings
            {
                Binary = binary ?? Go2rtcBinary.Path, ConfigDir = Path.Combine(Dir.Path, "go2rtc"),
                ApiPort = Ports.Free(), RtspPort = Ports.Free(), WebrtcPort = Ports.Free(), ReadyTimeoutMs = 10_000,
            },
        };
        Directory.CreateDirectory(Config.StateDir);
    }

    public string ConfigDir => Config.Go2rtc.ConfigDir;

    public Go2rtcSupervisor Create(SupervisorOptions? options = null, IConfigStreamsSource? streams = null)
    {
        Supervisor = new Go2rtcSupervisor(Config, options ?? new SupervisorOptions { LocateRetry = TimeSpan.FromMilliseconds(300) },
            Log, TimeProvider.System, configStreams: streams);
        return Supervisor;
    }

    public async Task<Go2rtcSupervisor> Start(SupervisorOptions? options = null)
    {
        Create(options);
        return await StartCreated();
    }

    /// <summary>Starts the supervisor made by <see cref="Create"/> (after a test prepared files for it).</summary>
    public async Task<Go2rtcSupervisor> StartCreated()
    {
        await Supervisor.StartAsync(CancellationToken.None);
        _started = true;
        return Supervisor;
    }

    public async Task<Go2rtcStatus> WaitFor(Func<Go2rtcStatus, bool> condition, string what, double seconds = 15)
    {
        try
        {
            return await Wait.Until(() => Task.FromResult(condition(Supervisor.Status) ? Supervisor.Status : null),
                TimeSpan.FromSeconds(seconds), what);
        }
        catch (TimeoutException e)
        {
            // The state when the wait gave up, not when it began.
            throw new TimeoutException($"{e.Message} (now {Supervisor.Status.Phase}: {Supervisor.Status.Message})", e);
        }
    }

    public Task<Go2rtcStatus> WaitReady(int generationAbove = 0, double seconds = 15) =>
        WaitFor(s => s.Phase == Go2rtcPhase.Ready && s.Generation > generationAbove, $"go2rtc ready after generation {generationAbove}", seconds);

    public async Task Stop()
    {
        if (!_started) return;
        _started = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Supervisor.StopAsync(timeout.Token);
    }

    /// <summary>go2rtc processes (children of this test process) running the binary under test.</summary>
    public List<(int Pid, char State, string? Exe)> Go2rtcChildren() => ChildProcesses.Running(Config.Go2rtc.Binary, Config.Go2rtc.ConfigDir);

    public async ValueTask DisposeAsync()
    {
        await Stop();
        Supervisor?.Dispose();
        Dir.Dispose();
    }
}

/// <summary>Collects log lines (formatted and redacted as the real formatter does).</summary>
internal sealed class CapturingLogger : ILogger<Go2rtcSupervisor>
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    public string Text => string.Join("\n", Lines);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add($"{logLevel}: {LightNvr.Logging.Redactor.Redact(formatter(state, exception))}");
    }
}

/// <summary>A fixed list of streams for the generated config.</summary>
internal sealed class FixedConfigStreams(IReadOnlyDictionary<string, IReadOnlyList<string>> streams) : IConfigStreamsSource
{
    public ConfigStreams For(Go2rtcVersion version) => new(streams, []);
}
