using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace LightNvr.Posix;

/// <summary>
/// Drains a child's stdout and stderr pipes for its whole life and hands complete lines to a callback.
/// <para>
/// Why this shape: a full pipe blocks go2rtc's writes, and go2rtc logs from its HTTP handlers, so a
/// reader that stops reading hangs the API; closing the read end instead kills go2rtc with SIGPIPE.
/// So one dedicated thread does nothing but poll() and read(), and never runs user code: lines go
/// into a queue that a separate task delivers. If the consumer falls far behind, lines are dropped
/// (and the drop counted in a marker line) rather than letting the pipe fill.
/// </para>
/// <para>
/// The thread also polls an eventfd, so <see cref="Stop"/> wakes it even while grandchildren (ffmpeg)
/// still hold the pipes' write ends open and EOF never comes. The thread owns the pipe fds and
/// closes them itself when it ends, so no fd is closed while a read on it may be in flight.
/// </para>
/// </summary>
internal sealed class OutputPump
{
    private const int MaxPendingChars = 8 * 1024 * 1024;

    private readonly int _stdoutFd;
    private readonly int _stderrFd;
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private readonly Channel<(string Line, bool IsStderr)> _queue =
        Channel.CreateUnbounded<(string, bool)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly LineSplitter _stdout;
    private readonly LineSplitter _stderr;
    private readonly object _gate = new();
    private bool _finished; // the thread has closed its fds (guarded by _gate)
    private long _pendingChars;
    private long _dropped;

    /// <summary>Completes once both pipes reached EOF (or Stop) and every queued line was delivered.</summary>
    public Task Completed { get; }

    public OutputPump(int stdoutFd, int stderrFd, int maxLineBytes, Action<string, bool>? onLine, string threadName)
    {
        _stdoutFd = stdoutFd;
        _stderrFd = stderrFd;
        _wakeFd = Native.eventfd(0, Native.EFD_CLOEXEC);
        if (_wakeFd < 0) throw new IOException($"eventfd failed: {Native.ErrnoText(Marshal.GetLastPInvokeError())}");
        _stdout = new LineSplitter(maxLineBytes, line => Enqueue(line, false));
        _stderr = new LineSplitter(maxLineBytes, line => Enqueue(line, true));
        Completed = Task.Run(() => DeliverAsync(onLine));
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Wakes the reader, waits for it to flush partial lines and close the pipes. Idempotent.</summary>
    public unsafe void Stop()
    {
        lock (_gate)
        {
            if (!_finished)
            {
                ulong one = 1;
                Native.write(_wakeFd, (byte*)&one, sizeof(ulong));
            }
        }
        if (Thread.CurrentThread != _thread) _thread.Join();
    }

    private unsafe void ReadLoop()
    {
        var buffer = new byte[64 * 1024];
        var fds = stackalloc Native.PollFd[3];
        fds[0] = new Native.PollFd { Fd = _stdoutFd, Events = Native.POLLIN };
        fds[1] = new Native.PollFd { Fd = _stderrFd, Events = Native.POLLIN };
        fds[2] = new Native.PollFd { Fd = _wakeFd, Events = Native.POLLIN };
        try
        {
            while (fds[0].Fd >= 0 || fds[1].Fd >= 0)
            {
                if (Native.poll(fds, 3, -1) < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Native.EINTR) continue;
                    break;
                }
                if (fds[2].REvents != 0) break; // Stop() asked us to end
                for (var i = 0; i < 2; i++)
                {
                    if (fds[i].Fd < 0 || fds[i].REvents == 0) continue;
                    var splitter = i == 0 ? _stdout : _stderr;
                    nint n;
                    fixed (byte* p = buffer) n = Native.read(fds[i].Fd, p, buffer.Length);
                    if (n > 0)
                    {
                        splitter.Feed(buffer.AsSpan(0, (int)n));
                    }
                    else if (n == 0 || Marshal.GetLastPInvokeError() != Native.EINTR)
                    {
                        // EOF (every writer gone), or an error no retry will fix: this stream is done.
                        splitter.Flush();
                        fds[i].Fd = -1; // poll ignores negative fds
                    }
                }
            }
        }
        finally
        {
            _stdout.Flush();
            _stderr.Flush();
            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0) Queue($"[lightnvr: {dropped} output lines dropped, the reader fell behind]", true);
            lock (_gate)
            {
                _finished = true;
                Native.close(_stdoutFd);
                Native.close(_stderrFd);
                Native.close(_wakeFd);
            }
            _queue.Writer.TryComplete();
        }
    }

    private void Enqueue(string line, bool isStderr)
    {
        if (Interlocked.Read(ref _pendingChars) + line.Length > MaxPendingChars)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            Queue($"[lightnvr: {dropped} output lines dropped, the reader fell behind]", isStderr);
        }
        Queue(line, isStderr);
    }

    private void Queue(string line, bool isStderr)
    {
        Interlocked.Add(ref _pendingChars, line.Length);
        _queue.Writer.TryWrite((line, isStderr));
    }

    private async Task DeliverAsync(Action<string, bool>? onLine)
    {
        await foreach (var (line, isStderr) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Interlocked.Add(ref _pendingChars, -line.Length);
            Deliver(onLine, line, isStderr);
            // Caught up after a burst: say what was dropped now, not at the child's next line (which may never come).
            if (Interlocked.Read(ref _pendingChars) == 0 && Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
                Deliver(onLine, $"[lightnvr: {dropped} output lines dropped, the reader fell behind]", true);
        }
    }

    private static void Deliver(Action<string, bool>? onLine, string line, bool isStderr)
    {
        try
        {
            onLine?.Invoke(line, isStderr);
        }
        catch
        {
            // A logging callback that throws must not stop the draining of the child's output.
        }
    }
}
