namespace LightNvr.Go2rtc;

/// <summary>
/// How long to wait before respawning go2rtc after it died: 1, 2, 4 … 60 s for consecutive
/// failures, back to 1 s once a run has been ready for a minute. A ready go2rtc's death respawned at
/// once counts as the first of a series, so a crash loop after it waits 2, 4 … 60 s. Pure.
/// A minute is longer than any crash loop's run (a loop dies before or right after it is ready), and
/// short enough that a go2rtc killed now and then by the OOM killer is back in a second, not 60.
/// </summary>
public static class RestartPacing
{
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan HealthyRun = TimeSpan.FromMinutes(1);

    /// <param name="consecutiveFailures">1 for the first failure in a row.</param>
    public static TimeSpan Delay(int consecutiveFailures)
    {
        if (consecutiveFailures <= 0) return TimeSpan.Zero;
        var seconds = Math.Pow(2, Math.Min(consecutiveFailures - 1, 6));
        return TimeSpan.FromSeconds(Math.Min(seconds, Max.TotalSeconds));
    }

    /// <summary>How often a go2rtc that was ready may be respawned at once, without the backoff.</summary>
    public static readonly TimeSpan ImmediateRespawnWindow = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A ready go2rtc that dies is respawned at once, if nothing else was respawned at once within the
    /// last minute: a one-off crash heals in milliseconds, a crash loop still gets 2, 4 … 60 s.
    /// </summary>
    public static bool RespawnAtOnce(TimeSpan sinceLastImmediate) => sinceLastImmediate >= ImmediateRespawnWindow;

    /// <summary>The failure count after a run ends: a long healthy run resets the series.</summary>
    public static int AfterRun(int previousFailures, TimeSpan ranFor, bool becameReady) =>
        becameReady && ranFor >= HealthyRun ? 1 : previousFailures + 1;
}
