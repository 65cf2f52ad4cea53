using System.Net;
using System.Net.Sockets;
using LightNvr.Posix;

namespace LightNvr.Tests.Posix;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ProcFsTests
{
    [Test]
    public async Task Stat_is_parsed_after_the_last_parenthesis()
    {
        // comm may contain spaces and ')': "a) S 1 (b" must not shift the fields.
        var fields = string.Join(' ', Enumerable.Range(4, 49).Select(n => n.ToString()));
        var stat = ProcFs.ParseStat($"4242 (a) S 1 (b) Z {fields}");
        await Assert.That(stat).IsNotNull();
        await Assert.That(stat!.Value.State).IsEqualTo('Z');
        await Assert.That(stat.Value.ParentPid).IsEqualTo(4);
        await Assert.That(stat.Value.ProcessGroup).IsEqualTo(5);
        await Assert.That(stat.Value.UserTicks).IsEqualTo(14UL);
        await Assert.That(stat.Value.SystemTicks).IsEqualTo(15UL);
        await Assert.That(stat.Value.StartTime).IsEqualTo(22UL);
        await Assert.That(ProcFs.ParseStat("garbage")).IsNull();
    }

    [Test]
    public async Task Identity_with_the_right_start_time_is_alive_and_with_a_wrong_one_is_not()
    {
        var self = ProcessIdentity.Capture(Environment.ProcessId);
        await Assert.That(self).IsNotNull();
        await Assert.That(self!.Value.IsAlive()).IsTrue();
        // What a recycled pid looks like: same number, another start time.
        await Assert.That((self.Value with { StartTime = self.Value.StartTime + 1 }).IsAlive()).IsFalse();
        await Assert.That(ProcessIdentity.Capture(int.MaxValue)).IsNull();
        await Assert.That(new ProcessIdentity(int.MaxValue, 1).IsAlive()).IsFalse();
    }

    [Test]
    public async Task A_zombie_is_not_alive()
    {
        var lines = new Lines();
        // sleep never reaps the true that sh started before exec-ing it: a zombie we can look at.
        using var child = SpawnedProcess.Spawn(Child.Sh("/bin/true & echo $!; exec /bin/sleep 100", lines));
        await Child.Until(() => lines.Stdout.Length > 0, "the zombie's pid");
        var zombie = int.Parse(lines.Stdout[0]);
        await Child.Until(() => ProcFs.State(zombie) == 'Z', "the grandchild to become a zombie");
        var identity = new ProcessIdentity(zombie, ProcFs.StartTime(zombie)!.Value);
        await Assert.That(identity.IsAlive()).IsFalse();
        await Assert.That(ProcFs.VmRssKiB(zombie)).IsNull();
    }

    [Test]
    public async Task Exe_comm_rss_and_cpu_are_read()
    {
        using var child = SpawnedProcess.Spawn(new SpawnRequest { ExecutablePath = "/bin/sleep", Arguments = ["100"], WorkingDirectory = "/" });
        await Assert.That(ProcFs.Comm(child.Pid)).IsEqualTo("sleep");
        await Assert.That(ProcFs.ExePath(child.Pid)).IsEqualTo(new FileInfo("/bin/sleep").ResolveLinkTarget(true)?.FullName
            ?? Path.Combine(new DirectoryInfo("/bin").ResolveLinkTarget(true)?.FullName ?? "/bin", "sleep"));
        await Assert.That(ProcFs.VmRssKiB(child.Pid) ?? 0).IsGreaterThan(0L);
        await Assert.That(ProcFs.VmRssKiB(Environment.ProcessId) ?? 0).IsGreaterThan(1000L);
        await Assert.That(ProcFs.CpuTicks(Environment.ProcessId) ?? 0).IsGreaterThan(0UL);
        await Assert.That(ProcFs.ClockTicksPerSecond).IsEqualTo(100L);
    }

    [Test]
    public async Task Our_own_TCP_listener_is_found_with_its_owner()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            await Assert.That(ProcFs.IsTcpPortListening(port)).IsTrue();
            await Assert.That(ProcFs.ListeningTcpPortOwner(port)).IsEqualTo(Environment.ProcessId);
            await Assert.That(ProcFs.OwnsListeningTcpPort(Environment.ProcessId, port)).IsTrue();
            await Assert.That(ProcFs.OwnsListeningTcpPort(1, port)).IsFalse();
        }
        finally
        {
            listener.Stop();
        }
        await Assert.That(ProcFs.IsTcpPortListening(port)).IsFalse();
        await Assert.That(ProcFs.ListeningTcpPortOwner(port)).IsNull();
    }

    [Test]
    public async Task An_IPv6_listener_counts_too()
    {
        if (!Socket.OSSupportsIPv6) return;
        var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        try
        {
            listener.Start();
        }
        catch (SocketException)
        {
            return; // IPv6 disabled on this host's loopback
        }
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            await Assert.That(ProcFs.ListeningTcpPortOwner(port)).IsEqualTo(Environment.ProcessId);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    public async Task A_bound_UDP_port_is_seen()
    {
        int port;
        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            await Assert.That(ProcFs.IsUdpPortBound(port)).IsTrue();
            // A UDP socket is not a TCP listener.
            await Assert.That(ProcFs.IsTcpPortListening(port) && ProcFs.ListeningTcpPortOwner(port) == Environment.ProcessId).IsFalse();
        }
        await Assert.That(ProcFs.IsUdpPortBound(port)).IsFalse();
    }
}
