using System.Runtime.InteropServices;

namespace Go2rtcStandIn;

/// <summary>libc entry points the stand-in needs (exec in place, raw exit, signals, file writes with errno).</summary>
internal static partial class Native
{
    public const int SIGHUP = 1, SIGINT = 2, SIGPIPE = 13, SIGTERM = 15;
    public const int O_WRONLY = 1, O_CREAT = 0x40, O_TRUNC = 0x200, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int execv([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr[] argv);

    [LibraryImport("libc")]
    public static partial void _exit(int code);

    [LibraryImport("libc")]
    public static partial int getpid();

    [LibraryImport("libc")]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    public static partial IntPtr signal(int sig, IntPtr handler);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static unsafe partial nint write(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc")]
    public static partial IntPtr strerror(int errnum);

    [LibraryImport("libc")]
    public static partial int isatty(int fd);

    /// <summary>Go-style error text for an errno: glibc's message with a lower-case first letter.</summary>
    public static string ErrnoText(int errno)
    {
        var s = Marshal.PtrToStringUTF8(strerror(errno)) ?? ("errno " + errno);
        return s.Length > 0 ? char.ToLowerInvariant(s[0]) + s[1..] : s;
    }

    /// <summary>Die the way a Go program dies on a broken stdout pipe: by SIGPIPE.</summary>
    public static void DieBySigpipe()
    {
        signal(SIGPIPE, IntPtr.Zero); // SIG_DFL
        kill(getpid(), SIGPIPE);
        _exit(2);
    }

    /// <summary>os.WriteFile(path, b, 0644): truncates (keeping the mode) or creates 0644. Returns Go's error text or null.</summary>
    public static unsafe string? WriteFile(string path, byte[] data)
    {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0x1A4 /* 0644 */);
        if (fd < 0) return "open " + path + ": " + ErrnoText(Marshal.GetLastPInvokeError());
        try
        {
            fixed (byte* p = data)
            {
                nint off = 0;
                while (off < data.Length)
                {
                    nint n = write(fd, p + off, data.Length - off);
                    if (n < 0) return "write " + path + ": " + ErrnoText(Marshal.GetLastPInvokeError());
                    off += n;
                }
            }
        }
        finally { close(fd); }
        return null;
    }

    /// <summary>Re-exec this very process image with the original argv (same PID), like go2rtc's /api/restart.</summary>
    public static int ExecSelf(string[] argv)
    {
        var ptrs = new IntPtr[argv.Length + 1];
        for (int i = 0; i < argv.Length; i++) ptrs[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
        ptrs[argv.Length] = IntPtr.Zero;
        execv("/proc/self/exe", ptrs);
        return Marshal.GetLastPInvokeError();
    }
}
