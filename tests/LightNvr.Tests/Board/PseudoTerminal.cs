using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LightNvr.Tests.Board;

/// <summary>
/// A real pseudo-terminal pair (openpty): the appliance opens the slave as its serial port, the test
/// types on the master and reads what comes back, as a person at a USB serial adapter would.
/// </summary>
internal sealed partial class PseudoTerminal : IDisposable
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int openpty(out int master, out int slave, IntPtr name, IntPtr termios, IntPtr winsize);

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr ttyname(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd { public int Fd; public short Events; public short Revents; }

    // The master is a bare fd read with poll: a blocked read() would keep the master open after close(),
    // and the slave would never see the hang-up that the "port vanished" test needs.
    private readonly int _master;
    private volatile bool _closed;
    private readonly SafeFileHandle _slave;
    private readonly StringBuilder _received = new();
    private readonly Thread _reader;

    public string SlavePath { get; }

    public PseudoTerminal()
    {
        if (openpty(out var master, out var slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 0)
            throw new IOException($"openpty failed: errno {Marshal.GetLastPInvokeError()}");
        SlavePath = Marshal.PtrToStringUTF8(ttyname(slave)) ?? throw new IOException("ttyname failed");
        // The test keeps a slave fd open so the master does not see a hang-up between the appliance's opens.
        _slave = new SafeFileHandle(slave, ownsHandle: true);
        _master = master;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "pty master" };
        _reader.Start();
    }

    private unsafe void ReadLoop()
    {
        var buffer = new byte[4096];
        while (!_closed)
        {
            var p = new PollFd { Fd = _master, Events = 1 /* POLLIN */ };
            if (poll(&p, 1, 50) <= 0 || _closed) continue;
            nint n;
            fixed (byte* b = buffer) n = read(_master, b, buffer.Length);
            if (n <= 0) { if (Marshal.GetLastPInvokeError() == 4 /* EINTR */) continue; return; }
            lock (_received) _received.Append(Encoding.UTF8.GetString(buffer, 0, (int)n));
        }
    }

    public string Received { get { lock (_received) return _received.ToString(); } }

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    public unsafe void Send(byte[] bytes)
    {
        fixed (byte* b = bytes)
            for (nint done = 0; done < bytes.Length;)
            {
                var n = write(_master, b + done, bytes.Length - done);
                if (n < 0) throw new IOException($"write to the pty master failed: errno {Marshal.GetLastPInvokeError()}");
                done += n;
            }
    }

    /// <summary>Waits until <paramref name="text"/> arrives after <paramref name="from"/> (an offset in <see cref="Received"/>); returns the text from there.</summary>
    public async Task<string> WaitFor(string text, int from = 0, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var all = Received;
            if (all.Length > from && all.IndexOf(text, from, StringComparison.Ordinal) >= 0) return all[from..];
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out after {seconds} s waiting for '{text}' on the console; got: {all[Math.Min(from, all.Length)..]}");
            await Task.Delay(10);
        }
    }

    /// <summary>Types a line and waits for the next prompt; returns what the console answered.</summary>
    public async Task<string> Command(string line, string prompt = "lightnvr> ")
    {
        var from = Received.Length;
        Send(line + "\r");
        var answer = await WaitFor(prompt, from);
        return answer;
    }

    /// <summary>Hangs up: the master closes, so the appliance's side reads an error, as when an adapter is pulled.</summary>
    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        _reader.Join();
        _slave.Dispose();
        close(_master);
    }
}
