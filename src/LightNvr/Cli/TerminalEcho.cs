using System.Runtime.InteropServices;

namespace LightNvr.Cli;

/// <summary>
/// Turns the terminal's echo off while a password is typed (what passwd(1) does), through termios.
/// Not Console.ReadKey: it drags in the terminfo key mapper, binary size for one prompt.
/// </summary>
internal static partial class TerminalEcho
{
    // struct termios on Linux glibc (x64 and arm64): four uint flags, c_lflag at offset 12; 60 bytes.
    private const int LflagOffset = 12;
    private const uint Echo = 0x8;
    private const int TcsaNow = 0;

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int TcGetAttr(int fd, Span<byte> termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int TcSetAttr(int fd, int action, ReadOnlySpan<byte> termios);

    /// <summary>Echo off on stdin until disposed; a no-op when stdin is not a terminal.</summary>
    public static IDisposable Off()
    {
        var saved = new byte[64];
        if (TcGetAttr(0, saved) != 0) return new Restore(null);
        var quiet = (byte[])saved.Clone();
        var lflag = BitConverter.ToUInt32(quiet, LflagOffset) & ~Echo;
        BitConverter.TryWriteBytes(quiet.AsSpan(LflagOffset), lflag);
        TcSetAttr(0, TcsaNow, quiet);
        return new Restore(saved);
    }

    private sealed class Restore(byte[]? saved) : IDisposable
    {
        public void Dispose()
        {
            if (saved is not null) TcSetAttr(0, TcsaNow, saved);
        }
    }
}
