using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Health;

/// <summary>The health loop end to end: a real go2rtc (stand-in), cameras that are local TCP listeners.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class HealthIntegrationTests
{
    /// <summary>
    /// Cameras the stand-in can connect to: listeners on loopback that accept and hold connections (the
    /// stand-in simulates the media). A real go2rtc needs real RTSP cameras, so tests that need live
    /// streams run against the stand-in only.
    /// </summary>
    private sealed class Cameras : IDisposable
    {
        private readonly List<TcpListener> _listeners = [];
        public List<string> Names { get; } = [];
        public string Yaml { get; }

        public Cameras(int count, bool reachable = true)
        {
            var yaml = new System.Text.StringBuilder("cameras:\n");
            for (var i = 1; i <= count; i++)
            {
                var port = Ports.Free();
                if (reachable)
                {
                    var l = new TcpListener(IPAddress.Loopback, port);
                    l.Start();
                    _listeners.Add(l);
                }
                Names.Add($"cam{i}");
                yaml.Append($"  - name: cam{i}\n    url: rtsp://127.0.0.1:{port}/live\n");
            }
            Yaml = yaml.ToString();
        }

        public void Dispose() => _listeners.ForEach(l => l.Stop());
    }

    private static async Task<AppHarness> Start(Cameras cameras, int maxRestarts = 5, params (string, string)[] env)
    {
        var app = new AppHarness(cameras.Yaml);
        app.Config.Health.PeriodMs = 200;
        app.Config.Health.ProbeTimeoutMs = 500;
        app.Config.Health.WarmUpSeconds = 2;
        app.Config.Health.MaxRestarts = maxRestarts;
        await app.Start(new SupervisorOptions { ExtraEnvironment = env.ToDictionary(e => e.Item1, e => e.Item2) });
        return app;
    }

    private static HealthLoop Loop(AppHarness app) => app.App.Services.GetRequiredService<HealthLoop>();

    private static Task<HealthSnapshot> WaitHealth(AppHarness app, Func<HealthSnapshot, bool> condition, string what, double seconds = 20) =>
        Wait.Until(() => Task.FromResult(condition(Loop(app).Snapshot) ? Loop(app).Snapshot : null), TimeSpan.FromSeconds(seconds),
            $"{what} (go2rtc {app.Supervisor.Status.Phase}; streams {string.Join(", ", Loop(app).Snapshot.Streams.Select(s => $"{s.Name}={s.State}"))})");

    /// <summary>The consensus verdict of each of the next <paramref name="count"/> ticks the loop publishes (a tick is told by its time).</summary>
    private static async Task<List<ConsensusVerdict>> Ticks(AppHarness app, int count)
    {
        var after = Loop(app).Snapshot.At;
        var seen = new SortedDictionary<DateTimeOffset, ConsensusVerdict>();
        await Wait.Until(() =>
        {
            var s = Loop(app).Snapshot;
            if (s.At > after) seen[s.At] = s.Consensus;
            return seen.Count >= count;
        }, TimeSpan.FromSeconds(30), $"{count} more health ticks");
        return [.. seen.Values];
    }

    private static Task<HealthSnapshot> AllLive(AppHarness app, int count) =>
        WaitHealth(app, s => s.Streams.Count == count && s.Streams.All(x => x.State == Liveness.Live), "all streams live");

    private static Task Standin(AppHarness app, string path) => app.Go2rtcHttp.PostAsync(app.Go2rtcUrl + path, null);

    [Test]
    public async Task A_sigstopped_go2rtc_is_seen_hung_and_replaced_with_all_streams()
    {
        using var cams = new Cameras(4);
        await using var app = await Start(cams);
        var first = await app.WaitReady();
        if (Go2rtcBinary.IsStandIn) await AllLive(app, 4); // a real go2rtc cannot make listeners into cameras
        var watch = Stopwatch.StartNew();
        Mono.Unix.Native.Syscall.kill(first.Pid!.Value, Mono.Unix.Native.Signum.SIGSTOP);
        var second = await app.WaitReady(first.Generation, seconds: 30);
        await app.WaitGo2rtcStreams(cams.Names);
        Console.WriteLine($"SIGSTOP → new go2rtc ready with 4 streams: {watch.ElapsedMilliseconds} ms");
        await Assert.That(second.Pid).IsNotEqualTo(first.Pid);
        await Assert.That(app.Supervisor.Ledger.History.Entries.Last().Reason).IsEqualTo(RestartReason.Hung);
        await Assert.That(app.Go2rtcChildren().Count).IsEqualTo(1);
    }

    [Test]
    [Arguments("500")]
    [Arguments("hang")]
    public async Task An_api_answering_500_or_hanging_while_the_process_lives_is_restarted(string mode)
    {
        Go2rtcBinary.RequireStandIn();
        using var cams = new Cameras(2);
        await using var app = await Start(cams);
        var first = await app.WaitReady();
        await Standin(app, $"/standin/api?mode={mode}");
        var second = await app.WaitReady(first.Generation, seconds: 20);
        await Assert.That(second.Pid).IsNotEqualTo(first.Pid);
        await Assert.That(app.Supervisor.Ledger.History.Entries.Last().Reason).IsEqualTo(RestartReason.Hung);
    }

    [Test]
    public async Task One_stalled_camera_of_four_is_re_registered_and_go2rtc_is_left_alone()
    {
        Go2rtcBinary.RequireStandIn();
        using var cams = new Cameras(4);
        await using var app = await Start(cams);
        var first = await app.WaitReady();
        await AllLive(app, 4);
        var registered = app.Sync.States.ToDictionary(s => s.Key, s => s.Value.Since);
        await Standin(app, "/standin/camera?src=cam2&state=stalled");
        // The heal: cam2 alone is registered anew (DELETE + PUT: a new go2rtc stream object whose bytes flow again).
        await Wait.Until(() => app.Sync.States["cam2"].Since != registered["cam2"], TimeSpan.FromSeconds(10), "cam2 re-registered");
        await AllLive(app, 4);
        foreach (var cam in new[] { "cam1", "cam3", "cam4" }) await Assert.That(app.Sync.States[cam].Since).IsEqualTo(registered[cam]);
        await Assert.That(app.Supervisor.Status.Pid).IsEqualTo(first.Pid);
        await Assert.That(app.Supervisor.Ledger.History.Entries).IsEmpty();
    }

    [Test]
    public async Task Three_stalled_cameras_of_four_restart_go2rtc_once()
    {
        Go2rtcBinary.RequireStandIn();
        using var cams = new Cameras(4);
        await using var app = await Start(cams);
        var first = await app.WaitReady();
        await AllLive(app, 4);
        foreach (var cam in new[] { "cam1", "cam2", "cam3" }) await Standin(app, $"/standin/camera?src={cam}&state=stalled");
        var second = await app.WaitReady(first.Generation, seconds: 30);
        await Assert.That(app.Supervisor.Ledger.History.Entries.Single().Reason).IsEqualTo(RestartReason.Consensus);
        await Wait.Until(async () => (await app.Http.GetStringAsync("/")).Contains("<b>consensus</b> ok") ? "" : null,
            TimeSpan.FromSeconds(15), "the restart with its reason on the status page");
        // The new go2rtc's cameras are fine: all live again, and no second restart.
        await AllLive(app, 4);
        await Assert.That(app.Supervisor.Status.Generation).IsEqualTo(second.Generation);
        await Assert.That(app.Supervisor.Ledger.History.Entries.Length).IsEqualTo(1);
    }

    [Test]
    public async Task Cameras_that_are_really_offline_cause_no_restart_storm()
    {
        using var cams = new Cameras(3, reachable: false);
        await using var app = await Start(cams);
        await app.WaitReady();
        await WaitHealth(app, s => s.Consensus == ConsensusVerdict.CamerasOrNetworkDown, "the conclusion that the cameras are down", 40);
        var restarts = app.Supervisor.Ledger.History.Entries.Length;
        await Assert.That(restarts).IsLessThanOrEqualTo(1);
        // Ten more ticks of the loop, each looking at the same dead cameras: every one keeps the conclusion
        // and none restarts go2rtc (each tick is a moment a restart storm would show).
        var generation = app.Supervisor.Status.Generation;
        var verdicts = await Ticks(app, 10);
        await Assert.That(verdicts.Distinct()).IsEquivalentTo([ConsensusVerdict.CamerasOrNetworkDown]);
        await Assert.That(await app.Http.GetStringAsync("/")).Contains("the cameras or the network are down, not go2rtc");
        await Assert.That(app.Supervisor.Ledger.History.Entries.Length).IsEqualTo(restarts)
            .Because(string.Join(", ", app.Supervisor.Ledger.History.Entries.Select(e => $"{e.Reason}/{e.Outcome}")));
        await Assert.That(app.Supervisor.Status.Generation).IsEqualTo(generation);
    }

    [Test]
    public async Task A_restart_that_keeps_failing_spends_the_budget_and_go2rtc_is_failed()
    {
        Go2rtcBinary.RequireStandIn();
        using var cams = new Cameras(1);
        await using var app = await Start(cams, maxRestarts: 3, ("STANDIN_CRASH_AFTER_MS", "300"));
        var failed = await app.WaitFor(s => s.Phase == Go2rtcPhase.Failed, "go2rtc failed", 40);
        await Assert.That(failed.Message).Contains("3 automatic restarts in 10 minutes");
        await Assert.That(app.Supervisor.Ledger.History.Entries.Count(e => e.Reason == RestartReason.Exited)).IsEqualTo(3);
        await Assert.That(app.Go2rtcChildren().Count(p => p.State != 'Z')).IsEqualTo(0);
        // A person's restart is always allowed.
        var manual = app.Supervisor.RequestRestart(RestartReason.Manual);
        await app.WaitFor(s => s.Phase == Go2rtcPhase.Ready, "the manual restart", 15);
        await manual;
    }

    [Test]
    public async Task Before_go2rtc_1_9_11_the_appliance_keeps_cameras_connected_itself()
    {
        Go2rtcBinary.RequireStandIn();
        using var cams = new Cameras(2);
        await using var app = await Start(cams, env: ("STANDIN_VERSION", "1.9.10"));
        var ready = await app.WaitReady();
        await Assert.That(ready.Version).IsEqualTo("1.9.10");
        // No preload in go2rtc 1.9.10: liveness comes from our own MP4 consumers.
        await AllLive(app, 2);
        await Assert.That(File.ReadAllText(Path.Combine(app.Config.Go2rtc.ConfigDir, "go2rtc.generated.yaml"))).DoesNotContain("preload:");
        // A re-registered stream gets a new consumer (the old one stays on the replaced stream object).
        await Standin(app, "/standin/camera?src=cam1&state=stalled");
        await WaitHealth(app, s => s.Streams.Single(x => x.Name == "cam1").State is Liveness.Stalled or Liveness.Starting, "cam1 healed or stalled");
        await AllLive(app, 2);
        await Assert.That(app.Supervisor.Status.Pid).IsEqualTo(ready.Pid);
    }

    [Test]
    public async Task Memory_growing_past_the_limit_restarts_go2rtc_with_reason_memory()
    {
        Go2rtcBinary.RequireStandIn();
        using var cams = new Cameras(1);
        var app = new AppHarness(cams.Yaml);
        await using var _ = app;
        app.Config.Health.PeriodMs = 200;
        app.Config.Health.MemoryWindowSeconds = 1;
        // 1 % of this machine's memory (24 GiB: ~245 MB); the stand-in leaks 100 MB a second.
        app.Config.Health.MemoryLimitPercent = 1;
        await app.Start(new SupervisorOptions { ExtraEnvironment = new Dictionary<string, string> { ["STANDIN_GROW_RSS_MB_PER_S"] = "100" } });
        var first = await app.WaitReady();
        await app.WaitReady(first.Generation, seconds: 30);
        await Assert.That(app.Supervisor.Ledger.History.Entries[0].Reason).IsEqualTo(RestartReason.Memory);
    }

    [Test]
    public async Task Health_json_and_prometheus_metrics_describe_the_same_snapshot()
    {
        Go2rtcBinary.RequireStandIn(); // live cameras: the stand-in's simulated producers
        using var cams = new Cameras(2);
        await using var app = await Start(cams);
        await app.WaitReady();
        await AllLive(app, 2);
        using var json = JsonDocument.Parse(await app.Http.GetStringAsync("/api/health"));
        await Assert.That(json.RootElement.GetProperty("api").GetString()).IsEqualTo("Healthy");
        await Assert.That(json.RootElement.GetProperty("streams").GetArrayLength()).IsEqualTo(2);
        await Assert.That(json.RootElement.GetProperty("rss_bytes").GetInt64()).IsGreaterThan(1_000_000);
        var metrics = await app.Http.GetAsync("/metrics");
        await Assert.That(metrics.Content.Headers.ContentType!.ToString()).StartsWith("text/plain; version=0.0.4");
        var text = await metrics.Content.ReadAsStringAsync();
        await Assert.That(text).Contains("lightnvr_go2rtc_up 1\n");
        await Assert.That(text).Contains("lightnvr_stream_up{stream=\"cam1\"} 1\n");
        await Assert.That(text).Contains("# TYPE lightnvr_go2rtc_restarts_total counter");
    }
}
