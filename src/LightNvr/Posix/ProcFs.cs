using System.Globalization;

namespace LightNvr.Posix;

/// <summary>The fields of /proc/PID/stat we use (man 5 proc numbering in the comments).</summary>
public readonly record struct ProcStat(
    char State,        // 3: R, S, D, Z (zombie), T, ...
    int ParentPid,     // 4
    int ProcessGroup,  // 5
    int Session,       // 6
    ulong UserTicks,   // 14: utime
    ulong SystemTicks, // 15: stime
    ulong StartTime);  // 22: clock ticks after boot

/// <summary>
/// Read-only looks into /proc. Every method returns null/false when the process is gone or not ours
/// to read, never throws for that: a process can vanish between any two reads.
/// </summary>
public static class ProcFs
{
    /// <summary>sysconf(_SC_CLK_TCK): the unit of start time and CPU ticks (100 on every Linux we target).</summary>
    public static long ClockTicksPerSecond { get; } = ReadClockTicks();

    private static long ReadClockTicks()
    {
        var ticks = (long)Native.sysconf(Native._SC_CLK_TCK);
        return ticks > 0 ? ticks : 100;
    }

    public static ProcStat? ReadStat(int pid)
    {
        var text = ReadText($"/proc/{pid}/stat");
        return text is null ? null : ParseStat(text);
    }

    /// <summary>
    /// Field 2 (comm) is in parentheses and may itself contain spaces and ')' — a process can name
    /// itself "a) b" — so the fixed fields are counted from after the LAST ')'.
    /// </summary>
    public static ProcStat? ParseStat(string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var f = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // f[0] is field 3, so field N is f[N - 3].
        if (f.Length < 20 || f[0].Length != 1) return null;
        try
        {
            return new ProcStat(
                f[0][0],
                int.Parse(f[1], CultureInfo.InvariantCulture),
                int.Parse(f[2], CultureInfo.InvariantCulture),
                int.Parse(f[3], CultureInfo.InvariantCulture),
                ulong.Parse(f[11], CultureInfo.InvariantCulture),
                ulong.Parse(f[12], CultureInfo.InvariantCulture),
                ulong.Parse(f[19], CultureInfo.InvariantCulture));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public static ulong? StartTime(int pid) => ReadStat(pid)?.StartTime;

    public static char? State(int pid) => ReadStat(pid)?.State;

    /// <summary>utime + stime, in <see cref="ClockTicksPerSecond"/> units.</summary>
    public static ulong? CpuTicks(int pid) => ReadStat(pid) is { } s ? s.UserTicks + s.SystemTicks : null;

    /// <summary>The /proc/PID/exe link target (" (deleted)" appended by the kernel if the file was replaced).</summary>
    public static string? ExePath(int pid) => ReadLink($"/proc/{pid}/exe");

    /// <summary>The kernel's 15-character command name (the exec'd file name, unless the process renamed itself).</summary>
    public static string? Comm(int pid) => ReadText($"/proc/{pid}/comm")?.TrimEnd('\n');

    /// <summary>Resident set size in KiB (VmRSS of /proc/PID/status); null for a zombie or a gone process.</summary>
    public static long? VmRssKiB(int pid) =>
        StatusField(pid, "VmRSS") is { } value && long.TryParse(value.Split(' ')[0], CultureInfo.InvariantCulture, out var kib) ? kib : null;

    /// <summary>One "Name:\tvalue" line of /proc/PID/status, value trimmed (e.g. "SigIgn" → "0000000000001000").</summary>
    public static string? StatusField(int pid, string name)
    {
        var text = ReadText($"/proc/{pid}/status");
        if (text is null) return null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).SequenceEqual(name)) return line[(colon + 1)..].Trim();
        }
        return null;
    }

    /// <summary>Whether some socket LISTENs on this TCP port (any address, IPv4 or IPv6).</summary>
    public static bool IsTcpPortListening(int port) => ListeningTcpInodes(port).Count > 0;

    /// <summary>Whether some UDP socket is bound to this port (any address, IPv4 or IPv6).</summary>
    public static bool IsUdpPortBound(int port) =>
        SocketInodes("/proc/net/udp", port, state: null).Count > 0 || SocketInodes("/proc/net/udp6", port, state: null).Count > 0;

    /// <summary>
    /// The PID holding a LISTEN socket on this port, if we can see it (other users' fds are
    /// unreadable unless we are root). Ownership of the API socket is what identifies "our" go2rtc;
    /// a name never does.
    /// </summary>
    public static int? ListeningTcpPortOwner(int port)
    {
        var inodes = ListeningTcpInodes(port);
        if (inodes.Count == 0) return null;
        foreach (var dir in SafeEnumerate(() => Directory.EnumerateDirectories("/proc")))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && HoldsAnyInode(pid, inodes))
                return pid;
        }
        return null;
    }

    /// <summary>Whether this one PID holds a LISTEN socket on the port (cheaper than a full scan).</summary>
    public static bool OwnsListeningTcpPort(int pid, int port)
    {
        var inodes = ListeningTcpInodes(port);
        return inodes.Count > 0 && HoldsAnyInode(pid, inodes);
    }

    private static HashSet<string> ListeningTcpInodes(int port)
    {
        var inodes = SocketInodes("/proc/net/tcp", port, state: "0A");
        inodes.UnionWith(SocketInodes("/proc/net/tcp6", port, state: "0A"));
        return inodes;
    }

    /// <summary>
    /// Lines look like "  0: 0100007F:07C0 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 12345 ...":
    /// local address:port (hex), remote, state (0A = LISTEN), queues, timer, retransmits, uid, timeout, inode.
    /// </summary>
    private static HashSet<string> SocketInodes(string table, int port, string? state)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        var text = ReadText(table);
        if (text is null) return inodes;
        foreach (var line in text.Split('\n').Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10) continue;
            var colon = f[1].LastIndexOf(':');
            if (colon < 0 || !int.TryParse(f[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p)) continue;
            if (p != port || (state is not null && f[3] != state) || f[9] == "0") continue;
            inodes.Add(f[9]);
        }
        return inodes;
    }

    private static bool HoldsAnyInode(int pid, HashSet<string> inodes)
    {
        foreach (var fd in SafeEnumerate(() => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")))
        {
            var target = ReadLink(fd);
            // "socket:[12345]"
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']')
                && inodes.Contains(target[8..^1]))
                return true;
        }
        return false;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Enumerates lazily but stops quietly when the directory vanishes or is unreadable mid-way.</summary>
    private static IEnumerable<string> SafeEnumerate(Func<IEnumerable<string>> start)
    {
        IEnumerator<string> e;
        try
        {
            e = start().GetEnumerator();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        using (e)
        {
            while (true)
            {
                try
                {
                    if (!e.MoveNext()) yield break;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    yield break;
                }
                yield return e.Current;
            }
        }
    }
}

/// <summary>
/// A process as PID + start time. A PID alone is reused by the kernel once its process is reaped, and
/// the C version SIGTERMed an unrelated process through a stale PID; the start time (ticks after
/// boot) differs between two processes that share a PID.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    /// <summary>The identity of a running PID now, or null if it is gone.</summary>
    public static ProcessIdentity? Capture(int pid) => ProcFs.StartTime(pid) is { } start ? new ProcessIdentity(pid, start) : null;

    /// <summary>Same PID, same start time, and not a zombie (a zombie has exited: kill(pid, 0) lies about it).</summary>
    public bool IsAlive() => ProcFs.ReadStat(Pid) is { } stat && stat.StartTime == StartTime && stat.State != 'Z' && stat.State != 'X';

    public override string ToString() => $"pid {Pid} (start {StartTime})";
}
