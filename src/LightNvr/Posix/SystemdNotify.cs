using System.Net.Sockets;
using System.Text;

namespace LightNvr.Posix;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET (READY=1, STATUS=…), so
/// <c>systemctl status lightnvr</c> shows go2rtc's state. A no-op when not run by systemd.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;
    private string? _lastStatus;

    public SystemdNotify(string? socketPath = null)
    {
        socketPath ??= Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socketPath)) return;
        // '@' names an abstract socket: the kernel's name starts with a NUL byte.
        _target = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool Enabled => _socket is not null;

    public void Ready() => Send("READY=1");

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
