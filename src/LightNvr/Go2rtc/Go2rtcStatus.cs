namespace LightNvr.Go2rtc;

/// <summary>Where go2rtc's lifecycle stands; one word a person (and the LED) can act on.</summary>
public enum Go2rtcPhase { Disabled, NotBuilt, Locating, BinaryProblem, Starting, Ready, Backoff, PortConflict, Failed, Stopping, Stopped }

/// <summary>An immutable picture of go2rtc's lifecycle, replaced whole on every change.</summary>
public sealed record Go2rtcStatus
{
    public Go2rtcPhase Phase { get; init; } = Go2rtcPhase.Locating;
    /// <summary>What is happening or wrong, in words (already free of credentials).</summary>
    public string Message { get; init; } = "";
    public string? BinaryPath { get; init; }
    public string? Version { get; init; }
    /// <summary>The binary identified itself as our go2rtc stand-in, not go2rtc.</summary>
    public bool StandIn { get; init; }
    public int? Pid { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    /// <summary>Spawn → ready of the current run, in milliseconds.</summary>
    public double? StartupMs { get; init; }
    /// <summary>Incremented on every start and every in-place restart: streams re-register when it changes.</summary>
    public int Generation { get; init; }
    public int Restarts { get; init; }
    public string? LastExit { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    /// <summary>Notes about the person's go2rtc.yaml (rejected, moved aside).</summary>
    public string? PersonConfigNote { get; init; }
    public string ApiUrl { get; init; } = "";
    /// <summary>An automatic restart was wanted but the budget is spent: why, and when the next try is; null otherwise.</summary>
    public string? RestartRefused { get; init; }
    /// <summary>Until when <see cref="RestartRefused"/> holds: the next automatic restart is allowed from then on.</summary>
    public DateTimeOffset? RefusedUntil { get; init; }
}
