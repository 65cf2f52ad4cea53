using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace LightNvr.Posix;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET per message (READY=1, STOPPING=1,
/// STATUS=…, WATCHDOG=1), so <c>systemctl status lightnvr</c> shows go2rtc's state and systemd restarts an
/// appliance whose health loop stopped. A no-op when not run by systemd.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;
    private string? _lastStatus;

    /// <param name="socketPath">$NOTIFY_SOCKET unless given.</param>
    /// <param name="watchdogUsec">$WATCHDOG_USEC unless given.</param>
    /// <param name="watchdogPid">$WATCHDOG_PID unless given: the watchdog is meant for that process only.</param>
    public SystemdNotify(string? socketPath = null, string? watchdogUsec = null, string? watchdogPid = null)
    {
        socketPath ??= Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        watchdogUsec ??= Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        watchdogPid ??= Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (string.IsNullOrEmpty(socketPath)) return;
        // '@' names an abstract socket: the kernel's name starts with a NUL byte.
        _target = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        WatchdogInterval = WatchdogOf(watchdogUsec, watchdogPid, Environment.ProcessId);
    }

    public bool Enabled => _socket is not null;

    /// <summary>systemd's watchdog timeout for this process (WatchdogSec=), or null when there is none.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>sd_watchdog_enabled(3)'s rule: a positive WATCHDOG_USEC, and WATCHDOG_PID (when set) naming this process.</summary>
    public static TimeSpan? WatchdogOf(string? usec, string? pid, int self)
    {
        if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var us) || us == 0) return null;
        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p != self)) return null;
        return TimeSpan.FromMicroseconds(us);
    }

    public void Ready() => Send("READY=1");

    public void Stopping() => Send("STOPPING=1");

    /// <summary>"Still alive": sent by the health loop after each finished tick, so a stuck loop stops the pings.</summary>
    public void Watchdog()
    {
        if (WatchdogInterval is not null) Send("WATCHDOG=1");
    }

    /// <summary>Sends STATUS=… when it differs from the last one sent.</summary>
    public void Status(string status)
    {
        status = status.ReplaceLineEndings(" ");
        if (status == _lastStatus) return;
        _lastStatus = status;
        Send("STATUS=" + status);
    }

    private void Send(string message)
    {
        if (_socket is null) return;
        try { _socket.SendTo(Encoding.UTF8.GetBytes(message), _target!); }
        catch (SocketException) { /* systemd gone or not listening: nothing to tell */ }
    }

    public void Dispose() => _socket?.Dispose();
}
