using LightNvr.Go2rtc;

namespace LightNvr.Board;

/// <summary>The board's one status LED, as a named blink pattern a person can learn.</summary>
public enum LedName { Off, Solid, SlowBlink, FastBlink, DoubleBlink, Heartbeat, ResetArmed }

/// <summary>
/// One repeating cycle: on/off durations in milliseconds, starting with "on". Solid is one long "on",
/// off one long "off". <see cref="LedPlayer"/> plays the cycle on the LED; the status page shows it.
/// </summary>
public sealed record LedPattern(LedName Name, IReadOnlyList<int> OnOffMs, string Meaning)
{
    public string Word => Name switch
    {
        LedName.SlowBlink => "slow-blink",
        LedName.FastBlink => "fast-blink",
        LedName.DoubleBlink => "double-blink",
        LedName.ResetArmed => "reset-armed",
        _ => Name.ToString().ToLowerInvariant(),
    };
}

/// <summary>What the LED needs to know about the appliance: plain data, filled from the health snapshot and the config.</summary>
/// <param name="StreamsUp">Cameras whose stream is live.</param>
/// <param name="StreamsDown">Enabled cameras whose stream is stalled, in error or idle past its warm-up.</param>
/// <param name="Failed">go2rtc's restart budget is spent (it stays down until a person or the retry timer acts).</param>
public sealed record ApplianceState(Go2rtcPhase Go2rtc, int StreamsUp, int StreamsDown, int ConfigErrors, bool Failed, bool PasswordSet);

/// <summary>
/// The LED decision, a pure function. Order matters: the most urgent thing a person must act on wins,
/// so a board that blinks "fast" never hides that it is also unconfigured, and so on down the list.
/// </summary>
public static class LedPatterns
{
    public static readonly LedPattern Off = new(LedName.Off, [0, 1000], "go2rtc is off (disabled, not built or stopped)");
    public static readonly LedPattern Solid = new(LedName.Solid, [1000, 0], "all good: go2rtc ready, every camera live");
    public static readonly LedPattern SlowBlink = new(LedName.SlowBlink, [1000, 1000], "go2rtc is starting or restarting");
    public static readonly LedPattern FastBlink = new(LedName.FastBlink, [100, 100], "go2rtc has failed: open the status page");
    public static readonly LedPattern DoubleBlink = new(LedName.DoubleBlink, [150, 150, 150, 1050], "a camera is down or the configuration has errors");
    public static readonly LedPattern Heartbeat = new(LedName.Heartbeat, [100, 1900], "no admin password yet: open the status page");
    /// <summary>Three flashes and a pause: the reset button has been held 10 s; releasing it within 5 s resets to factory defaults.</summary>
    public static readonly LedPattern ResetArmed = new(LedName.ResetArmed, [150, 150, 150, 150, 150, 1050], "factory reset armed: release the button now to reset, keep holding to cancel");

    public static IReadOnlyList<LedPattern> All { get; } = [Off, Solid, SlowBlink, FastBlink, DoubleBlink, Heartbeat, ResetArmed];

    /// <summary>The LED's pattern: a person at the box holding the reset button outranks everything else.</summary>
    public static LedPattern For(ApplianceState s, bool resetArmed) => resetArmed ? ResetArmed : For(s);

    public static LedPattern For(ApplianceState s)
    {
        if (s.Failed || s.Go2rtc is Go2rtcPhase.Failed or Go2rtcPhase.BinaryProblem or Go2rtcPhase.PortConflict) return FastBlink;
        if (s.Go2rtc is Go2rtcPhase.Disabled or Go2rtcPhase.NotBuilt or Go2rtcPhase.Stopped or Go2rtcPhase.Stopping) return Off;
        if (s.Go2rtc != Go2rtcPhase.Ready) return SlowBlink;
        if (!s.PasswordSet) return Heartbeat;
        if (s.ConfigErrors > 0 || s.StreamsDown > 0) return DoubleBlink;
        return Solid;
    }
}
