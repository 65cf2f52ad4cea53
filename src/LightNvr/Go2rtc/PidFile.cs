using LightNvr.Posix;
using LightNvr.Storage;

namespace LightNvr.Go2rtc;

/// <summary>
/// Remembers which go2rtc this appliance started (PID, start time, executable), so that after a crash
/// of the appliance the next start can stop the go2rtc it left behind, and never anything else: a
/// PID that now belongs to another process (other start time or executable) is never signalled.
/// </summary>
public static class PidFile
{
    public static void Write(string path, ProcessIdentity identity, string executable) =>
        AtomicFile.WriteAllText(path, $"{identity.Pid} {identity.StartTime}\n{executable}\n");

    public static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The go2rtc a previous run left behind, if the file names one that is still that process.</summary>
    public static ProcessIdentity? FindLeftover(string path)
    {
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2) return null;
        var parts = lines[0].Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || !ulong.TryParse(parts[1], out var start)) return null;
        var identity = new ProcessIdentity(pid, start);
        if (!identity.IsAlive()) return null;
        return ProcFs.ExePath(pid) == lines[1] ? identity : null;
    }

    /// <summary>Stops a leftover go2rtc (not our child, so it is watched through /proc): TERM, 3 s, KILL.</summary>
    public static async Task StopLeftoverAsync(ProcessIdentity leftover, TimeProvider clock, CancellationToken cancel)
    {
        foreach (var (signal, wait) in new[] { (15, TimeSpan.FromSeconds(3)), (9, TimeSpan.FromSeconds(3)) })
        {
            if (!leftover.IsAlive()) return;
            Mono.Unix.Native.Syscall.kill(-leftover.Pid, (Mono.Unix.Native.Signum)signal); // its own process group
            var deadline = clock.GetTimestamp();
            while (leftover.IsAlive() && clock.GetElapsedTime(deadline) < wait)
                await Task.Delay(TimeSpan.FromMilliseconds(20), clock, cancel);
        }
    }
}
