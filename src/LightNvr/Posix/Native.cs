using System.Runtime.InteropServices;

namespace LightNvr.Posix;

/// <summary>
/// The libc calls the POSIX edge layer makes itself. Mono.Posix wraps waitpid and kill, but has no
/// posix_spawn, no waitid(WNOWAIT), no poll over our own fds and no eventfd; keeping every call the
/// spawner uses in one place (and in one calling convention: raw pointers, errno via SetLastError)
/// is simpler than mixing two wrappers. Values below are the Linux ones, identical on x86-64 and
/// aarch64 (generic and x86 ABIs agree on all of them).
/// </summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc";

    // posix_spawn's opaque types, measured with a C probe on glibc 2.36 (x86_64 and aarch64):
    // posix_spawnattr_t 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128. We allocate more than
    // that, so a future glibc that grows them a little cannot make us write past the end.
    public const int SpawnAttrSize = 512;
    public const int FileActionsSize = 256;
    public const int SigSetSize = 256;

    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int EFD_CLOEXEC = O_CLOEXEC;

    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const int ESRCH = 3;

    public const short POLLIN = 0x001;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    public const int P_PID = 1;
    public const int WEXITED = 4;
    public const int WNOWAIT = 0x01000000;
    public const int SiginfoSize = 128;

    public const int _SC_CLK_TCK = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    // posix_spawn and the helpers return the error number instead of setting errno.
    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn_file_actions_addclose(void* fileActions, int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int oflag, uint mode);

    /// <summary>glibc ≥ 2.29 (Debian 12 has 2.36); runs chdir in the child just before exec.</summary>
    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);

    /// <summary>glibc ≥ 2.34: closes every fd ≥ lowFd in the child just before exec.</summary>
    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawn_file_actions_addclosefrom_np(void* fileActions, int lowFd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawnattr_setpgroup(void* attr, int pgroup);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int sigemptyset(void* sigset);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int sigfillset(void* sigset);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int waitid(int idtype, uint id, void* infop, int options);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint sysconf(int name);

    public const int RTLD_NOW = 2;

    /// <summary>In libc itself since glibc 2.34; used only to say why a side library does not load.</summary>
    [LibraryImport(Libc, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint dlopen(string path, int flags);

    [LibraryImport(Libc)]
    public static partial nint dlerror();

    /// <summary>"ENOENT (No such file or directory)": the symbolic name an operator can search for, and the text.</summary>
    public static string ErrnoText(int errno)
    {
        var name = errno switch
        {
            1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 4 => "EINTR", 5 => "EIO", 7 => "E2BIG", 8 => "ENOEXEC",
            9 => "EBADF", 10 => "ECHILD", 11 => "EAGAIN", 12 => "ENOMEM", 13 => "EACCES", 20 => "ENOTDIR",
            21 => "EISDIR", 22 => "EINVAL", 23 => "ENFILE", 24 => "EMFILE", 26 => "ETXTBSY", 36 => "ENAMETOOLONG",
            40 => "ELOOP",
            _ => "errno " + errno,
        };
        return $"{name} ({Marshal.GetPInvokeErrorMessage(errno)})";
    }
}
