namespace LightNvr.Go2rtc;

/// <summary>
/// Decides when the person's go2rtc.yaml is to blame for go2rtc not starting (pure). After 3 failed
/// starts in a row with it, one start is tried without it; if that one succeeds, the file is moved
/// aside; if it fails too, the file was not the cause and is used again.
/// </summary>
public sealed record Quarantine(int FailuresWithPersonFile = 0, bool TrialWithout = false)
{
    public const int Limit = 3;

    public enum Verdict { Keep, MoveAside }

    /// <summary>Whether the next start passes the person's file.</summary>
    public bool UsePersonFile => !TrialWithout;

    public (Quarantine Next, Verdict Verdict) AfterStart(bool usedPersonFile, bool started)
    {
        if (TrialWithout) return (new Quarantine(), started ? Verdict.MoveAside : Verdict.Keep);
        if (!usedPersonFile || started) return (new Quarantine(), Verdict.Keep);
        var failures = FailuresWithPersonFile + 1;
        return (new Quarantine(failures, failures >= Limit), Verdict.Keep);
    }
}
