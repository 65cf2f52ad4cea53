using System.Collections.Concurrent;
using LightNvr.Posix;

namespace LightNvr.Tests.Posix;

/// <summary>Collects a child's lines per stream; thread-safe (the callback runs on the delivery task).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class Lines
{
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    public void Add(string line, bool isStderr) => (isStderr ? _stderr : _stdout).Enqueue(line);

    public string[] Stdout => _stdout.ToArray();
    public string[] Stderr => _stderr.ToArray();
}

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class Child
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static SpawnRequest Sh(string script, Lines? lines = null, string cwd = "/") => new()
    {
        ExecutablePath = "/bin/sh",
        Argv0 = "sh",
        Arguments = ["-c", script],
        WorkingDirectory = cwd,
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        OnOutputLine = lines is null ? null : lines.Add,
    };

    /// <summary>Runs to completion and waits until every output line was delivered.</summary>
    public static async Task<ExitStatus> RunToEnd(SpawnedProcess child)
    {
        var status = await child.Exited.WaitAsync(Deadline);
        await child.OutputCompleted.WaitAsync(Deadline);
        return status;
    }

    /// <summary>Polls a condition until a deadline (no fixed sleeps: the wait is as short as the condition allows).</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var end = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "lightnvr-posix-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
