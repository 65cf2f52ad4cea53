using LightNvr.Config;

namespace LightNvr.Status;

/// <summary>What <c>GET /api/status</c> answers and the status page shows.</summary>
/// <param name="WriteErrors">Files whose last write failed (disk full, read-only folder), one line each; empty when all is well.</param>
public sealed record StatusReport(string Version, double UptimeSeconds, BuildInfo Build, ConfigState Config, Go2rtcReport Go2rtc,
    Health.HealthSnapshot Health, IReadOnlyList<string>? WriteErrors = null);

/// <summary>go2rtc as the status page shows it: the supervisor's status plus uptime and recent output.</summary>
public sealed record Go2rtcReport(Go2rtc.Go2rtcStatus Status, double? UptimeSeconds, IReadOnlyList<string> RecentLog);

/// <summary>The build-time options this binary was made with.</summary>
public sealed record BuildInfo(bool Go2rtcEnabled, string Go2rtcBinaryPath, string Go2rtcConfigDir, int Go2rtcApiPort)
{
    public static BuildInfo Current { get; } = new(
        BuildOptions.Go2rtcEnabled, BuildOptions.Go2rtcBinaryPath, BuildOptions.Go2rtcConfigDir, BuildOptions.Go2rtcApiPort);
}

/// <param name="UsingLastGood">The file has errors and the appliance runs on its last valid copy.</param>
/// <param name="Errors">Each error as one line (file:line:col: path: message), already redacted.</param>
public sealed record ConfigState(string Path, bool Valid, bool UsingLastGood, IReadOnlyList<string> Errors);

/// <summary>When the appliance started: a timestamp taken when the host is built, not at the first request.</summary>
public sealed record AppStarted(long Timestamp);

/// <summary>Builds the report from the loaded config and the clock; the one place both views read from.</summary>
public sealed class StatusService(LoadedConfig loaded, ApplianceStateOwner state, Go2rtc.Go2rtcSupervisor go2rtc, TimeProvider clock, AppStarted started)
{
    private readonly long _started = started.Timestamp;

    public StatusReport Current(int logLines = 50)
    {
        var now = state.Current;
        var g = now.Go2rtc;
        double? uptime = g.Pid is not null && g.StartedAt is { } at ? Math.Round((clock.GetUtcNow() - at).TotalSeconds, 1) : null;
        return new StatusReport(
            BuildOptions.Version,
            Math.Round(clock.GetElapsedTime(_started).TotalSeconds, 1),
            BuildInfo.Current,
            new ConfigState(loaded.Path, loaded.Errors.Count == 0, loaded.FromLastGood,
                loaded.Errors.Select(e => Logging.Redactor.Redact(e.ToString())).ToList()),
            new Go2rtcReport(g, uptime, go2rtc.RecentLog(logLines)),
            now.Health,
            Storage.WriteFailures.Lines());
    }
}
