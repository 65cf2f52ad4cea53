namespace LightNvr.Storage;

/// <summary>Why a file could not be written, in the terms a person can act on.</summary>
public enum WriteFailureKind
{
    /// <summary>ENOSPC / EDQUOT: the disk (or the quota) is full.</summary>
    Full,
    /// <summary>EROFS, or no permission: the folder cannot be written at all.</summary>
    ReadOnly,
    /// <summary>Anything else the kernel said (EIO …).</summary>
    Other,
}

/// <summary>
/// A write through <see cref="AtomicFile"/> failed; the target still holds its previous content and
/// no temp file is left behind. Carries the file and the cause so the API can answer with them
/// (507 full, 503 read-only) and the status page can show them.
/// </summary>
public sealed class WriteFailure(string path, WriteFailureKind kind, string cause, Exception inner)
    : IOException($"cannot write {path}: {cause}", inner)
{
    public string Path { get; } = path;
    public WriteFailureKind Kind { get; } = kind;
    public string Cause { get; } = cause;

    public int HttpStatus => Kind switch { WriteFailureKind.Full => 507, WriteFailureKind.ReadOnly => 503, _ => 500 };

    // errno values on Linux (x64 and arm64 share them).
    private const int Enospc = 28, Erofs = 30, Edquot = 122, Eacces = 13, Eperm = 1;

    /// <summary>Classifies what .NET threw for a failed write.</summary>
    public static WriteFailure From(string path, Exception e)
    {
        // .NET keeps the raw errno as the HResult of an IOException it maps from a syscall failure.
        var errno = e is UnauthorizedAccessException ? Eacces : e.HResult & 0xFFFF;
        var (kind, cause) = errno switch
        {
            Enospc or Edquot => (WriteFailureKind.Full, "no space left on the device"),
            Erofs => (WriteFailureKind.ReadOnly, "the file system is read-only"),
            Eacces or Eperm => (WriteFailureKind.ReadOnly, "permission denied"),
            _ => (WriteFailureKind.Other, e.Message),
        };
        return new WriteFailure(path, kind, cause, e);
    }
}
