using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace LightNvr.Posix;

/// <summary>
/// The native side files the binary needs at run time. Mono.Posix's helper and System.IO.Ports' native
/// shim cannot be linked into a Native AOT binary: they ship as .so files, looked for beside the real
/// executable (a symlink to the binary is resolved first), then in the system library path. A binary
/// copied without them failed at its first Mono.Posix call with DllNotFoundException, which in a verb is
/// an abort (SIGABRT, exit 134). So they are loaded here, at start, and a failure becomes one line that
/// names the file, where it was looked for and, when the file is there but does not load, the loader's
/// reason (e.g. a library it needs, such as libz.so.1, is missing).
/// </summary>
internal static class SideLibraries
{
    public const string MonoPosixHelper = "libMonoPosixHelper.so";

    /// <summary>Every side file `make publish` puts beside the binary (System.IO.Ports' serves the UART console).</summary>
    public static readonly string[] Files = [MonoPosixHelper, "libSystem.IO.Ports.Native.so"];

    /// <summary>Null when every side library loads and answers; otherwise the one line to print before exit 1.</summary>
    public static string? Problem() => Problem(AppContext.BaseDirectory);

    internal static string? Problem(string directory)
    {
        // Loaded by name the way the packages' own P/Invokes load them: beside the binary first, then the system.
        foreach (var file in Files)
            if (!NativeLibrary.TryLoad(Path.GetFileNameWithoutExtension(file), typeof(SideLibraries).Assembly, null, out _))
                return Explain(file, directory);
        try
        {
            // The cheapest call that goes through the helper (access mode conversion), not straight to libc.
            Syscall.access(directory, AccessModes.F_OK);
            return null;
        }
        catch (DllNotFoundException)
        {
            return Explain(MonoPosixHelper, directory); // loaded above, so only a helper not found by its own P/Invoke lands here
        }
        catch (EntryPointNotFoundException e)
        {
            return $"lightnvr: {Path.Combine(directory, MonoPosixHelper)} does not belong to this build ({OneLine(e.Message)}); reinstall the folder the binary was published in";
        }
    }

    private static string Explain(string file, string directory)
    {
        var beside = Path.Combine(directory, file);
        if (!File.Exists(beside))
            return $"lightnvr: {file} not found: looked beside the binary in {directory.TrimEnd('/')}/ and in the system library path; " +
                   "the binary needs the side files it was published with (install the whole folder: make install)";
        // The first dlerror() binds the P/Invoke (a dlsym, which would clear the error) and clears any stale error.
        Native.dlerror();
        var reason = Native.dlopen(beside, Native.RTLD_NOW) == 0 && Native.dlerror() is var err && err != 0
            ? Marshal.PtrToStringUTF8(err) : null;
        // glibc starts the text with the path itself.
        if (reason?.StartsWith(beside + ": ", StringComparison.Ordinal) == true) reason = reason[(beside.Length + 2)..];
        return $"lightnvr: {beside} cannot be loaded: {OneLine(reason ?? "unknown reason")}";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
