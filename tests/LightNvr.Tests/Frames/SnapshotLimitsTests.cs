using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LightNvr.Frames;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Frames;

/// <summary>The snapshot service's limits: reuse window, two upstream calls at once, cache= by version, base path and port.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class SnapshotLimitsTests
{
    private static async Task<int> UpstreamCalls(AppHarness app, string src)
    {
        using var stats = JsonDocument.Parse(await app.Go2rtcHttp.GetStringAsync($"{app.Go2rtcUrl}/standin/stats"));
        return stats.RootElement.GetProperty("frames").TryGetProperty(src, out var n) ? n.GetInt32() : 0;
    }

    [Test]
    [Arguments(60_000, 1)]
    [Arguments(0, 2)]
    public async Task A_frame_is_reused_for_the_configured_window(int cacheMs, int upstream)
    {
        var (app, camera) = await SnapshotTests.Start();
        await using var _ = app;
        using var __ = camera;
        app.Config.Frames.CacheMs = cacheMs;
        for (var i = 0; i < 2; i++)
            await Assert.That((await app.Http.GetAsync("/api/streams/door/frame.jpeg")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await UpstreamCalls(app, "door")).IsEqualTo(upstream);
    }

    [Test]
    public async Task At_most_two_frame_calls_run_at_once_the_third_waits_with_a_deadline()
    {
        Go2rtcBinary.RequireStandIn();
        using var camera = new TcpListener(IPAddress.Loopback, Ports.Free());
        camera.Start();
        var port = ((IPEndPoint)camera.LocalEndpoint).Port;
        await using var app = new AppHarness($"cameras:\n  - name: a\n    url: rtsp://127.0.0.1:{port}/a\n  - name: b\n    url: rtsp://127.0.0.1:{port}/b\n  - name: c\n    url: rtsp://127.0.0.1:{port}/c\n");
        app.Config.Frames.DeadlineMs = 60_000;
        await app.Start();
        await app.WaitReady();
        await app.WaitGo2rtcStreams(["a", "b", "c"]);
        await Wait.Until(() => app.Sync.Desired?.Streams.Count == 3, TimeSpan.FromSeconds(10), "3 desired streams");
        foreach (var src in new[] { "a", "b" })
            await app.Go2rtcHttp.PostAsync($"{app.Go2rtcUrl}/standin/frame?src={src}&mode=hang", null);

        // a and b take both slots and hang (their own deadline is a minute away).
        var snapshots = app.App.Services.GetRequiredService<SnapshotService>();
        var hanging = new[] { snapshots.GetAsync("a", null, null, CancellationToken.None), snapshots.GetAsync("b", null, null, CancellationToken.None) };
        await Wait.Until(async () => await UpstreamCalls(app, "a") == 1 && await UpstreamCalls(app, "b") == 1 ? "" : null,
            TimeSpan.FromSeconds(20), "a and b at go2rtc");

        // c waits for a slot, up to its deadline, and never reaches go2rtc.
        app.Config.Frames.DeadlineMs = 1500;
        var response = await app.Http.GetAsync("/api/streams/c/frame.jpeg");
        await Assert.That((int)response.StatusCode).IsEqualTo(504);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await Assert.That(problem.RootElement.GetProperty("title").GetString()).IsEqualTo("no-keyframe");
        await Assert.That(problem.RootElement.GetProperty("detail").GetString()).IsEqualTo("waited too long for a free frame slot");
        await Assert.That(await UpstreamCalls(app, "c")).IsEqualTo(0);
        await Assert.That(hanging.All(t => !t.IsCompleted)).IsTrue();
    }

    [Test]
    [Arguments("1.9.14", "src=door&cache=1s")]
    [Arguments("1.9.13", "src=door")]
    public async Task Cache_is_asked_for_from_go2rtc_1_9_14_at_the_configured_port_and_base_path(string version, string query)
    {
        Go2rtcBinary.RequireStandIn();
        using var camera = new TcpListener(IPAddress.Loopback, Ports.Free());
        camera.Start();
        await using var app = new AppHarness($"cameras:\n  - name: door\n    url: rtsp://127.0.0.1:{((IPEndPoint)camera.LocalEndpoint).Port}/live\n");
        Directory.CreateDirectory(app.Config.Go2rtc.ConfigDir);
        File.WriteAllText(Path.Combine(app.Config.Go2rtc.ConfigDir, GeneratedConfig.PersonFileName), "api:\n  base_path: /nvr/\n");
        var log = app.Dir.File("requests.log");
        await app.Start(new SupervisorOptions
        {
            ExtraEnvironment = new Dictionary<string, string> { ["STANDIN_VERSION"] = version, ["STANDIN_REQUEST_LOG"] = log },
        });
        await app.WaitReady();
        await Wait.Until(() => app.Sync.Desired?.Streams.ContainsKey("door") == true && app.Sync.States.GetValueOrDefault("door")?.Registered == true,
            TimeSpan.FromSeconds(15), "door registered");

        await Assert.That((await app.Http.GetAsync("/api/streams/door/frame.jpeg")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await app.Http.GetAsync("/api/streams/door/frame.jpeg?w=160")).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // The stand-in logs what reached it on the configured API port: the base path, and cache= only
        // when go2rtc knows it and no size was asked for (go2rtc's cache ignores the size).
        var frames = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("path").GetString()!.EndsWith("frame.jpeg", StringComparison.Ordinal)).ToList();
        await Assert.That(string.Join(" ", frames.Select(r => r.GetProperty("path").GetString()))).IsEqualTo("/nvr/api/frame.jpeg /nvr/api/frame.jpeg");
        await Assert.That(string.Join(" ", frames.Select(r => r.GetProperty("query").GetString()))).IsEqualTo($"{query} src=door&w=160");
    }

    [Test]
    public async Task With_a_real_go2rtc_and_an_ffmpeg_camera_a_real_frame_is_a_jpeg_of_the_camera_size()
    {
        if (Go2rtcBinary.IsStandIn) Skip.Test("needs a real go2rtc: set GO2RTC_BINARY=/path/to/go2rtc (the stand-in always answers 320x240)");
        if (!File.Exists("/usr/bin/ffmpeg") && !File.Exists("/usr/local/bin/ffmpeg")) Skip.Test("needs ffmpeg for the test camera (apt-get install -y ffmpeg)");
        var port = Ports.Free();
        using var stop = new CancellationTokenSource();
        // ffmpeg serves one MJPEG client per run (-listen 1): run it again for every connection go2rtc makes.
        var cameraLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
                foreach (var a in $"-hide_banner -loglevel error -re -f lavfi -i testsrc2=size=640x360:rate=5 -f mpjpeg -listen 1 http://127.0.0.1:{port}/cam.mjpeg".Split(' '))
                    info.ArgumentList.Add(a);
                using var ffmpeg = Process.Start(info)!;
                try { await ffmpeg.WaitForExitAsync(stop.Token); }
                catch (OperationCanceledException) { ffmpeg.Kill(); }
            }
        });
        try
        {
            await using var app = new AppHarness($"cameras:\n  - name: door\n    url: http://127.0.0.1:{port}/cam.mjpeg\n");
            await app.Start();
            await app.WaitReady();
            await app.WaitGo2rtcStreams(["door"]);
            var jpeg = await Wait.Until(async () =>
            {
                var r = await app.Http.GetAsync("/api/streams/door/frame.jpeg");
                return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsByteArrayAsync() : null;
            }, TimeSpan.FromSeconds(30), "a frame from the ffmpeg camera");
            await Assert.That(JpegCheck.Inspect(jpeg)).IsEqualTo(new JpegCheck.Info(640, 360));
        }
        finally
        {
            await stop.CancelAsync();
            await cameraLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
