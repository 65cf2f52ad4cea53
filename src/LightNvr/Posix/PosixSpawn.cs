using System.Runtime.InteropServices;
using System.Text;

namespace LightNvr.Posix;

/// <summary>
/// The one posix_spawn call, and the state it hands the child. posix_spawn (glibc: clone with
/// CLONE_VM|CLONE_VFORK, then exec) is used instead of fork because forking a multithreaded .NET
/// process and running anything but exec in the child can deadlock (the C version logged between
/// fork and exec); glibc also reports exec failures (ENOENT, EACCES, ENOEXEC) as its return value.
/// </summary>
internal static unsafe class PosixSpawn
{
    /// <summary>The child's pid and our read ends (O_CLOEXEC, so no later child inherits them).</summary>
    internal readonly record struct Result(int Pid, int StdoutFd, int StderrFd);

    public static Result Start(string path, string argv0, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var outPipe = stackalloc int[2];
        var errPipe = stackalloc int[2];
        // O_CLOEXEC on both ends: the dup2 file actions below give the child clean copies on 1 and 2;
        // the originals vanish at exec, and no other child spawned meanwhile inherits them.
        if (Native.pipe2(outPipe, Native.O_CLOEXEC) < 0)
            throw new IOException($"pipe2 failed: {Native.ErrnoText(Marshal.GetLastPInvokeError())}");
        if (Native.pipe2(errPipe, Native.O_CLOEXEC) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Native.close(outPipe[0]);
            Native.close(outPipe[1]);
            throw new IOException($"pipe2 failed: {Native.ErrnoText(errno)}");
        }

        var fileActions = NativeMemory.AllocZeroed(Native.FileActionsSize);
        var attr = NativeMemory.AllocZeroed(Native.SpawnAttrSize);
        var allSignals = NativeMemory.AllocZeroed(Native.SigSetSize);
        var noSignals = NativeMemory.AllocZeroed(Native.SigSetSize);
        var strings = new List<nint>();
        byte** argv = null, envp = null;
        int pid = 0, rc;
        try
        {
            Check(Native.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            try
            {
                Check(Native.posix_spawnattr_init(attr), "posix_spawnattr_init");
                try
                {
                    // stdin from /dev/null: go2rtc never reads it, and an inherited terminal or socket
                    // would keep that alive or make go2rtc stop on SIGTTIN.
                    var devNull = Utf8("/dev/null", strings);
                    Check(Native.posix_spawn_file_actions_addopen(fileActions, 0, devNull, Native.O_RDONLY, 0), "addopen");
                    Check(Native.posix_spawn_file_actions_adddup2(fileActions, outPipe[1], 1), "adddup2");
                    Check(Native.posix_spawn_file_actions_adddup2(fileActions, errPipe[1], 2), "adddup2");
                    Check(Native.posix_spawn_file_actions_addchdir_np(fileActions, Utf8(workingDirectory, strings)), "addchdir_np");
                    AddCloseFrom3(fileActions);

                    // Own process group (pgid = child's pid): go2rtc and the ffmpegs it starts can be
                    // signalled as one unit, and a Ctrl-C or SIGTERM to OUR group does not reach them.
                    // Every signal back to default and an empty mask: a child inherits ignored signals
                    // across exec, the .NET runtime ignores SIGPIPE (and a background shell start adds
                    // SIGINT/SIGQUIT), and a Go program keeps signals it finds ignored ignored.
                    Check(Native.sigfillset(allSignals), "sigfillset");
                    AddGlibcInternalSignals(allSignals);
                    Check(Native.sigemptyset(noSignals), "sigemptyset");
                    Check(Native.posix_spawnattr_setsigdefault(attr, allSignals), "setsigdefault");
                    Check(Native.posix_spawnattr_setsigmask(attr, noSignals), "setsigmask");
                    Check(Native.posix_spawnattr_setpgroup(attr, 0), "setpgroup");
                    Check(Native.posix_spawnattr_setflags(attr,
                        Native.POSIX_SPAWN_SETPGROUP | Native.POSIX_SPAWN_SETSIGDEF | Native.POSIX_SPAWN_SETSIGMASK), "setflags");

                    argv = (byte**)NativeMemory.AllocZeroed((nuint)(arguments.Count + 2), (nuint)sizeof(byte*));
                    argv[0] = Utf8(argv0, strings);
                    for (var i = 0; i < arguments.Count; i++) argv[i + 1] = Utf8(arguments[i], strings);

                    envp = (byte**)NativeMemory.AllocZeroed((nuint)(environment.Count + 1), (nuint)sizeof(byte*));
                    var e = 0;
                    foreach (var (key, value) in environment) envp[e++] = Utf8(key + "=" + value, strings);

                    rc = Native.posix_spawn(&pid, Utf8(path, strings), fileActions, attr, argv, envp);
                }
                finally
                {
                    Native.posix_spawnattr_destroy(attr);
                }
            }
            finally
            {
                Native.posix_spawn_file_actions_destroy(fileActions);
            }
        }
        catch
        {
            Native.close(outPipe[0]);
            Native.close(errPipe[0]);
            throw;
        }
        finally
        {
            // The write ends now live in the child only: once it (and its children) exit we see EOF.
            Native.close(outPipe[1]);
            Native.close(errPipe[1]);
            foreach (var s in strings) NativeMemory.Free((void*)s);
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attr);
            NativeMemory.Free(allSignals);
            NativeMemory.Free(noSignals);
        }

        if (rc != 0)
        {
            Native.close(outPipe[0]);
            Native.close(errPipe[0]);
            throw new SpawnException(Explain(path, workingDirectory, rc), rc);
        }
        return new Result(pid, outPipe[0], errPipe[0]);
    }

    /// <summary>
    /// glibc's sigfillset leaves out its two internal signals (32 SIGCANCEL, 33 SIGSETXID), and its
    /// posix_spawn sets those to SIG_IGN in the child (so the parent's handlers can never run in the
    /// vfork-style child) unless they are in the SETSIGDEF set; an ignored signal survives exec, so
    /// every child would start with them ignored. sigaddset refuses them, so set their bits directly:
    /// sigset_t is an array of unsigned longs with signal N at bit N-1 (little endian on both our
    /// RIDs). glibc's spawn checks this set first and then uses SIG_DFL. Nothing sends these signals
    /// to the child between that point and exec: glibc only sends them to the threads of our process.
    /// </summary>
    private static void AddGlibcInternalSignals(void* sigset)
    {
        var bytes = (byte*)sigset;
        foreach (var signal in (ReadOnlySpan<int>)[32, 33])
            bytes[(signal - 1) / 8] |= (byte)(1 << ((signal - 1) % 8));
    }

    /// <summary>
    /// Only 0, 1 and 2 reach the child. O_CLOEXEC covers what .NET opens, but not fds our own parent
    /// leaked to us without it, nor those of native libraries: a leaked listening socket or pipe end
    /// inside go2rtc (and its ffmpegs) would outlive us and keep ports or EOFs hostage. On a glibc
    /// older than 2.34 the call is missing and we fall back to CLOEXEC alone.
    /// </summary>
    private static void AddCloseFrom3(void* fileActions)
    {
        try
        {
            Check(Native.posix_spawn_file_actions_addclosefrom_np(fileActions, 3), "addclosefrom_np");
        }
        catch (EntryPointNotFoundException)
        {
        }
    }

    private static void Check(int rc, string what)
    {
        // These return the error number (not -1/errno); only ENOMEM/EINVAL are possible.
        if (rc != 0) throw new IOException($"{what} failed: {Native.ErrnoText(rc)}");
    }

    private static byte* Utf8(string s, List<nint> owned)
    {
        if (s.Contains('\0')) throw new ArgumentException($"a NUL character cannot be passed to a child: {s.Replace("\0", "\\0")}");
        var count = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)NativeMemory.Alloc((nuint)count + 1);
        owned.Add((nint)p);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, count));
        p[count] = 0;
        return p;
    }

    /// <summary>The errno plus what it most likely means for this path, e.g. a foreign-architecture binary.</summary>
    private static string Explain(string path, string workingDirectory, int errno)
    {
        var message = $"cannot start {path}: {Native.ErrnoText(errno)}";
        var kind = ElfMachine.Inspect(path);
        string? hint = errno switch
        {
            2 when !File.Exists(path) => "the file does not exist",
            2 when !Directory.Exists(workingDirectory) => $"the working directory {workingDirectory} does not exist",
            // exec says ENOENT for an existing file when its ELF interpreter (dynamic loader) is
            // missing: typically a glibc binary on a musl system, or a foreign architecture.
            2 => $"the file exists but its program interpreter is missing; {kind.DescribeAgainstThisMachine(path)}",
            13 => "it is not executable (check its x permission bits, and that its file system is not mounted noexec)",
            8 => kind.DescribeAgainstThisMachine(path),
            _ => null,
        };
        return hint is null ? message : $"{message}: {hint}";
    }
}
