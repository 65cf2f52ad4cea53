namespace LightNvr.Go2rtc;

/// <summary>
/// The person's go2rtc.yaml at each start: an example is written when there is none, a file that does
/// not parse is not used, and after <see cref="Quarantine.Limit"/> failed starts in a row with it one
/// start is tried without it; when that one succeeds, the file is moved aside.
/// </summary>
internal sealed class PersonFileGuard(SupervisorContext context)
{
    private Quarantine _quarantine = new();

    public string PersonPath => Path.Combine(context.Settings.ConfigDir, GeneratedConfig.PersonFileName);

    /// <summary>Whether the next start passes the person's file, and the API base path it sets.</summary>
    public (bool Use, string BasePath) Prepare()
    {
        try { PersonConfig.CreateExampleIfMissing(PersonPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a read-only dir is reported at write time */ }
        var check = PersonConfig.Inspect(PersonPath);
        if (check.Error is not null)
        {
            context.Log.LogError("your go2rtc.yaml is not used: {Error}", check.Error);
            context.Publish(s => s with { PersonConfigNote = $"not used, it does not parse: {check.Error}" });
            return (false, "");
        }
        if (check.Exists && !_quarantine.UsePersonFile)
        {
            context.Publish(s => s with { PersonConfigNote = $"go2rtc failed {Quarantine.Limit} starts in a row with {PersonPath}; trying once without it" });
            return (false, "");
        }
        if (context.Status.PersonConfigNote?.StartsWith("not used") == true) context.Publish(s => s with { PersonConfigNote = null });
        return (check.Exists, check.BasePath);
    }

    public void AfterStart(bool usedPersonFile, bool started)
    {
        var (next, verdict) = _quarantine.AfterStart(usedPersonFile, started);
        _quarantine = next;
        if (verdict == Quarantine.Verdict.MoveAside) MoveAside();
    }

    private void MoveAside()
    {
        var aside = $"{PersonPath}.rejected-{context.Clock.GetUtcNow():yyyyMMdd-HHmmss}";
        try
        {
            File.Move(PersonPath, aside);
            var note = $"go2rtc failed {Quarantine.Limit} starts in a row with your go2rtc.yaml and started without it: moved to {aside}";
            context.Log.LogError("{Note}", note);
            context.Publish(s => s with { PersonConfigNote = note });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Log.LogError("could not move {Path} aside: {Error}", PersonPath, e.Message);
        }
    }
}
