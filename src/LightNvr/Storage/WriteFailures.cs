using System.Collections.Concurrent;

namespace LightNvr.Storage;

/// <summary>
/// The files whose last write failed (cleared by the next successful write of the same file), for
/// the status page: a full disk or a read-only folder is said there, not only in an API answer.
/// </summary>
public static class WriteFailures
{
    private static readonly ConcurrentDictionary<string, (WriteFailure Failure, DateTimeOffset At)> Current = new();

    public static void Failed(WriteFailure failure) => Current[failure.Path] = (failure, DateTimeOffset.UtcNow);

    public static void Succeeded(string path) => Current.TryRemove(path, out _);

    /// <summary>One line per file: "streams.yaml: no space left on the device (at …)".</summary>
    public static IReadOnlyList<string> Lines() =>
        Current.Values.OrderBy(v => v.At).Select(v => $"cannot write {v.Failure.Path}: {v.Failure.Cause} (since {v.At:yyyy-MM-dd HH:mm:ss} UTC)").ToList();
}
