namespace LightNvr.Go2rtc;

/// <summary>Knobs of the supervisor that are not a person's settings (tests shorten them).</summary>
public sealed record SupervisorOptions
{
    /// <summary>SIGTERM → SIGKILL grace.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>How often a missing or unusable binary is looked for again (a person may install it later).</summary>
    public TimeSpan LocateRetry { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long ports may stay busy after a stop before a start reports a conflict.</summary>
    public TimeSpan PortFreeDeadline { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Added to go2rtc's otherwise clean environment (tests pass the stand-in's fault switches).</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();
}
