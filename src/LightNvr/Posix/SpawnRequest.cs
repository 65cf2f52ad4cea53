namespace LightNvr.Posix;

/// <summary>
/// Everything a child gets from us, stated explicitly: nothing is inherited from the appliance's own
/// environment, working directory or stdio (a go2rtc that silently depends on whatever environment
/// systemd gave lightnvr is a go2rtc that behaves differently on the bench and on the board).
/// </summary>
public sealed record SpawnRequest
{
    /// <summary>The file to execute. Made absolute against OUR working directory before the child's chdir.</summary>
    public required string ExecutablePath { get; init; }

    /// <summary>argv[0]; the executable's file name when null (go2rtc's C supervisor always used "go2rtc").</summary>
    public string? Argv0 { get; init; }

    /// <summary>argv[1..].</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The child's working directory (must exist).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The child's complete environment. Empty means empty: no PATH, no HOME.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Receives each line the child writes (without the newline), and whether it came from stderr.
    /// Called on one delivery thread, in order per stream; it may be slow without stalling the child
    /// (lines are queued, and dropped with a count past a bound). Exceptions are swallowed.
    /// </summary>
    public Action<string, bool>? OnOutputLine { get; init; }

    /// <summary>Longer lines are cut to this many bytes and the rest of the line discarded.</summary>
    public int MaxLineBytes { get; init; } = 16 * 1024;
}

/// <summary>posix_spawn refused: the message names the path and the errno, plus a hint where we have one.</summary>
public sealed class SpawnException(string message, int errno) : Exception(message)
{
    public int Errno { get; } = errno;
}
