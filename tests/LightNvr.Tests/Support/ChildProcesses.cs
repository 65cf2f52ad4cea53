using LightNvr.Posix;

namespace LightNvr.Tests.Support;

/// <summary>What /proc says about this test process's children: for "exactly one go2rtc, no zombie" checks.</summary>
public static class ChildProcesses
{
    public static List<(int Pid, char State, string? Exe)> Of(int parent)
    {
        var result = new List<(int, char, string?)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out var pid)) continue;
            if (ProcFs.ReadStat(pid) is not { } stat || stat.ParentPid != parent) continue;
            result.Add((pid, stat.State, ProcFs.ExePath(pid)));
        }
        return result;
    }

    public static List<(int Pid, char State, string? Exe)> Mine() => Of(Environment.ProcessId);

    /// <summary>
    /// This test process's children running <paramref name="binary"/> (go2rtc under test). With
    /// <paramref name="configDir"/>, only those started with a config from that directory: other tests
    /// running in parallel spawn the same binary.
    /// </summary>
    public static List<(int Pid, char State, string? Exe)> Running(string binary, string? configDir = null) =>
        Mine().Where(p => p.Exe == System.IO.Path.GetFullPath(binary))
            .Where(p => configDir is null || CommandLine(p.Pid).Contains(configDir, StringComparison.Ordinal))
            .ToList();

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; } // gone meanwhile
    }
}
