using System.Net.Sockets;
using System.Text;
using LightNvr.Health;
using LightNvr.Posix;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Health;

public class SystemdNotifyTests
{
    [Test]
    public async Task Ready_and_changed_status_lines_reach_the_notify_socket_once_each()
    {
        using var dir = new TempDir();
        var path = dir.File("notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(path));
        using var notify = new SystemdNotify(path);
        notify.Ready();
        notify.Status("go2rtc ready; 2/2 cameras live; 0 restarts");
        notify.Status("go2rtc ready; 2/2 cameras live; 0 restarts"); // unchanged: not sent again
        notify.Status("go2rtc FAILED; 0/2 cameras live; 5 restarts");
        var received = new List<string>();
        var buffer = new byte[512];
        systemd.ReceiveTimeout = 2000;
        for (var i = 0; i < 3; i++) received.Add(Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
        await Assert.That(received).IsEquivalentTo(new[]
        {
            "READY=1", "STATUS=go2rtc ready; 2/2 cameras live; 0 restarts", "STATUS=go2rtc FAILED; 0/2 cameras live; 5 restarts",
        });
        systemd.Blocking = false;
        await Assert.That(() => systemd.Receive(buffer)).Throws<SocketException>(); // nothing more was sent
    }

    [Test]
    public async Task Without_notify_socket_it_does_nothing()
    {
        using var notify = new SystemdNotify("");
        await Assert.That(notify.Enabled).IsFalse();
        notify.Ready();
    }
}
