using System.Net.Sockets;
using System.Text;
using LightNvr.Health;
using LightNvr.Posix;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Board;

/// <summary>sd_notify over a real unix datagram socket, as systemd's NOTIFY_SOCKET; the watchdog follows the health loop's life.</summary>
public class SystemdNotifyTests
{
    /// <summary>systemd's end: a bound datagram socket that collects every message.</summary>
    private sealed class FakeSystemd : IDisposable
    {
        private readonly TempDir _dir = new();
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        public string Path { get; }
        public FakeSystemd()
        {
            Path = _dir.File("notify");
            _socket.Bind(new UnixDomainSocketEndPoint(Path));
        }

        public List<string> Drain()
        {
            var got = new List<string>();
            var buffer = new byte[4096];
            while (_socket.Available > 0) got.Add(Encoding.UTF8.GetString(buffer, 0, _socket.Receive(buffer)));
            return got;
        }

        public void Dispose() { _socket.Dispose(); _dir.Dispose(); }
    }

    [Test]
    public async Task Ready_stopping_status_and_watchdog_arrive_as_datagrams()
    {
        using var systemd = new FakeSystemd();
        using var notify = new SystemdNotify(systemd.Path, "30000000", Environment.ProcessId.ToString());
        await Assert.That(notify.WatchdogInterval).IsEqualTo(TimeSpan.FromSeconds(30));
        notify.Ready();
        notify.Status("go2rtc ready; 1/1 cameras live");
        notify.Status("go2rtc ready; 1/1 cameras live"); // unchanged: not sent again
        notify.Watchdog();
        notify.Stopping();
        var got = new List<string>();
        await Wait.Until(() => { got.AddRange(systemd.Drain()); return got.Count >= 4; }, TimeSpan.FromSeconds(5), "four datagrams");
        await Assert.That(got).IsEquivalentTo(["READY=1", "STATUS=go2rtc ready; 1/1 cameras live", "WATCHDOG=1", "STOPPING=1"]);
    }

    [Test]
    [Arguments("30000000", null, 30.0)]
    [Arguments("30000000", "SELF", 30.0)]
    [Arguments("30000000", "1", null)]        // meant for another process (a parent that set it up)
    [Arguments("0", null, null)]
    [Arguments("abc", null, null)]
    [Arguments(null, null, null)]
    public async Task The_watchdog_is_on_only_for_a_positive_usec_meant_for_this_process(string? usec, string? pid, double? seconds)
    {
        var self = 4242;
        var interval = SystemdNotify.WatchdogOf(usec, pid == "SELF" ? self.ToString() : pid, self);
        await Assert.That(interval?.TotalSeconds).IsEqualTo(seconds);
    }

    [Test]
    public async Task No_watchdog_configured_means_no_pings()
    {
        using var systemd = new FakeSystemd();
        using var notify = new SystemdNotify(systemd.Path, watchdogUsec: "", watchdogPid: "");
        notify.Watchdog();
        notify.Ready();
        await Wait.Until(() => systemd.Drain() is ["READY=1"], TimeSpan.FromSeconds(5), "READY=1 alone");
    }

    [Test]
    public async Task A_frozen_health_loop_stops_the_pings_and_a_thawed_one_resumes_them()
    {
        using var systemd = new FakeSystemd();
        using var notify = new SystemdNotify(systemd.Path, "3000000", "");
        var clock = new FakeTimeProvider();
        var ticks = 0;
        var freeze = new TaskCompletionSource();
        var frozen = false;
        async Task Tick(CancellationToken stop)
        {
            Interlocked.Increment(ref ticks);
            if (Volatile.Read(ref frozen)) await freeze.Task.WaitAsync(stop); // a tick that never ends, as a deadlock would
        }
        using var stop = new CancellationTokenSource();
        var loop = HealthLoop.RunAsync(TimeSpan.FromSeconds(1), clock, Tick, notify.Watchdog, NullLogger.Instance, stop.Token);

        var pings = 0;
        async Task Second(int expectedTicks)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Wait.Until(() => Volatile.Read(ref ticks) >= expectedTicks, TimeSpan.FromSeconds(10), $"tick {expectedTicks}");
        }
        for (var i = 1; i <= 3; i++)
        {
            await Second(i);
            await Wait.Until(() => (pings += systemd.Drain().Count(m => m == "WATCHDOG=1")) >= i, TimeSpan.FromSeconds(10), $"ping {i}");
        }

        Volatile.Write(ref frozen, true);
        await Second(4);                          // the fourth tick starts and never ends
        for (var s = 0; s < 10; s++) clock.Advance(TimeSpan.FromSeconds(1)); // 10 s: three watchdog periods
        var deadline = DateTime.UtcNow.AddMilliseconds(500);
        while (DateTime.UtcNow < deadline) pings += systemd.Drain().Count(m => m == "WATCHDOG=1");
        await Assert.That(pings).IsEqualTo(3);    // not one ping while frozen: systemd would restart us
        await Assert.That(Volatile.Read(ref ticks)).IsEqualTo(4);

        freeze.SetResult();                       // thawed: the stuck tick ends, pings resume
        await Wait.Until(() => (pings += systemd.Drain().Count(m => m == "WATCHDOG=1")) >= 4, TimeSpan.FromSeconds(10), "the ping after the thaw");
        stop.Cancel();
        try { await loop; } catch (OperationCanceledException) { }
    }
}
