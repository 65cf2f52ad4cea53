using System.Globalization;
using LightNvr.Posix;
using LightNvr.Storage;

namespace LightNvr.Go2rtc;

/// <summary>
/// Remembers which go2rtc this appliance started, so that after a crash of the appliance the next
/// start can stop the go2rtc it left behind, and never anything else. A process is named by PID +
/// start time (a reused PID has another start time) + its process group (we spawn go2rtc as the
/// leader of its own) + the kernel's boot id (after a reboot a PID and start time can repeat). The
/// executable is written for people, never compared: a wrapper script or launcher that execs go2rtc
/// changes it while the process stays the same.
/// </summary>
public static class PidFile
{
    public sealed record Leftover(ProcessIdentity Identity, int ProcessGroup)
    {
        public override string ToString() => $"{Identity}, process group {ProcessGroup}";
    }

    public static void Write(string path, ProcessIdentity identity, string executable) =>
        AtomicFile.WriteAllText(path, string.Create(CultureInfo.InvariantCulture,
            $"{identity.Pid} {identity.StartTime} {identity.Pid} {BootId()}\n{executable}\n"));

    public static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The go2rtc a previous run left behind, if the file names one that is still that very process.</summary>
    public static Leftover? FindLeftover(string path)
    {
        string[] lines;
        try { lines = File.Exists(path) ? File.ReadAllLines(path) : []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return lines.Length > 0 ? Match(lines[0], BootId(), ProcFs.ReadStat) : null;
    }

    /// <summary>
    /// The decision, over the file's first line "PID START PGID BOOT", this boot's id and a /proc reader
    /// (pure for tests). A line of any other shape (an older appliance's) names nothing for sure: null.
    /// </summary>
    public static Leftover? Match(string line, string? bootId, Func<int, ProcStat?> stat)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid) || pid <= 1
            || !ulong.TryParse(parts[1], CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(parts[2], CultureInfo.InvariantCulture, out var group) || group <= 1) return null;
        if (bootId is null || parts[3] != bootId) return null; // written before a reboot: that process is gone
        if (stat(pid) is not { } now || now.StartTime != start || now.State is 'Z' or 'X' || now.ProcessGroup != group) return null;
        return new Leftover(new ProcessIdentity(pid, start), group);
    }

    private static string? BootId()
    {
        try { return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Stops a leftover go2rtc and its process group (not our child, so it is watched through /proc): TERM, 3 s, KILL.</summary>
    public static async Task StopLeftoverAsync(Leftover leftover, TimeProvider clock, CancellationToken cancel)
    {
        foreach (var (signal, wait) in new[] { (15, TimeSpan.FromSeconds(3)), (9, TimeSpan.FromSeconds(3)) })
        {
            if (!leftover.Identity.IsAlive()) return;
            Mono.Unix.Native.Syscall.kill(-leftover.ProcessGroup, (Mono.Unix.Native.Signum)signal);
            var deadline = clock.GetTimestamp();
            while (leftover.Identity.IsAlive() && clock.GetElapsedTime(deadline) < wait)
                await Task.Delay(TimeSpan.FromMilliseconds(20), clock, cancel);
        }
    }
}
