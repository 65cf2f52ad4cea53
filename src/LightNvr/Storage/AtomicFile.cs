using System.Collections.Concurrent;
using System.Text;
using Mono.Unix.Native;

namespace LightNvr.Storage;

/// <summary>
/// The one way the appliance writes a file. A power cut at any moment leaves the old content or the
/// new one, never a mix: write a temp file in the same directory with its final mode, fsync it,
/// rename it over the target (atomic on POSIX), then fsync the directory so the rename itself is durable.
/// </summary>
public static class AtomicFile
{
    /// <summary>Owner read/write only: for anything that can hold a credential.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly ConcurrentDictionary<string, object> Locks = new();

    public static void WriteAllText(string path, string text, UnixFileMode mode = Private) =>
        Write(path, Encoding.UTF8.GetBytes(text), mode);

    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode = Private)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        // One temp name per target: a temp left by a crash is simply replaced by the next write.
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + ".tmp");
        lock (Locks.GetOrAdd(full, _ => new object()))
        {
            try
            {
                File.Delete(temp);
                var options = new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = mode,
                };
                using (var stream = new FileStream(temp, options))
                {
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }
                // The umask may have narrowed the create mode; set it exactly, before the file becomes visible.
                File.SetUnixFileMode(temp, mode);
                File.Move(temp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A partial temp file on a full disk would hold the last free bytes: remove it.
                try { File.Delete(temp); }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { /* read-only: nothing was written */ }
                var failure = WriteFailure.From(full, e);
                WriteFailures.Failed(failure);
                throw failure;
            }
            SyncDirectory(dir);
            WriteFailures.Succeeded(full);
        }
    }

    /// <summary>Makes a rename or a new file in <paramref name="dir"/> durable (the recorder's segments use it after their rename).</summary>
    public static void SyncDirectory(string dir)
    {
        var fd = Syscall.open(dir, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        if (fd < 0) throw new IOException($"cannot open directory {dir} to sync it: {Stdlib.GetLastError()}");
        try
        {
            if (Syscall.fsync(fd) < 0) throw new IOException($"fsync of directory {dir} failed: {Stdlib.GetLastError()}");
        }
        finally
        {
            Syscall.close(fd);
        }
    }
}
