using Mono.Unix.Native;

namespace LightNvr.Recording;

/// <summary>The recording disk's size and free space; statvfs on the box, a fake in tests (a small tmpfs needs root).</summary>
public interface IDiskSpaceProbe
{
    /// <summary>Null when the directory cannot be asked (missing, unmounted).</summary>
    DiskSpace? Of(string dir);
}

public sealed class StatvfsProbe : IDiskSpaceProbe
{
    public DiskSpace? Of(string dir)
    {
        if (Syscall.statvfs(dir, out var s) != 0) return null;
        // f_bavail: what an unprivileged writer may use (the reserved blocks are not ours).
        return new DiskSpace((long)(s.f_blocks * s.f_frsize), (long)(s.f_bavail * s.f_frsize));
    }
}
