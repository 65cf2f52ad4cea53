using LightNvr.Go2rtc;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LightNvr.Frames;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Frames;

[NotInParallel("go2rtc-lifecycle")]
public class SnapshotTests
{
    internal static async Task<(AppHarness App, TcpListener Camera)> Start()
    {
        Go2rtcBinary.RequireStandIn();
        var camera = new TcpListener(IPAddress.Loopback, Ports.Free());
        camera.Start();
        var port = ((IPEndPoint)camera.LocalEndpoint).Port;
        var app = new AppHarness($"cameras:\n  - name: door\n    url: rtsp://127.0.0.1:{port}/live\n");
        app.Config.Frames.DeadlineMs = 1500;
        await app.Start();
        await app.WaitReady();
        await app.WaitGo2rtcStreams(["door"]);
        await Wait.Until(() => app.Sync.Desired?.Streams.ContainsKey("door") == true, TimeSpan.FromSeconds(5), "door desired");
        return (app, camera);
    }

    private static Task Mode(AppHarness app, string mode) => app.Go2rtcHttp.PostAsync($"{app.Go2rtcUrl}/standin/frame?src=door&mode={mode}", null);

    [Test]
    public async Task A_real_frame_comes_back_as_a_checked_jpeg()
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        var response = await app.Http.GetAsync("/api/streams/door/frame.jpeg");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("image/jpeg");
        var info = JpegCheck.Inspect(await response.Content.ReadAsByteArrayAsync());
        await Assert.That(info).IsEqualTo(new JpegCheck.Info(320, 240));
    }

    [Test]
    [Arguments("empty", 502, "camera-unreachable")]
    [Arguments("hang", 504, "no-keyframe")]
    [Arguments("garbage", 502, "not-jpeg")]
    [Arguments("oversized", 502, "too-large")]
    [Arguments("notfound", 404, "unknown-stream")]
    [Arguments("error", 502, "go2rtc-error: fork/exec /nonexistent/ffmpeg: no such file or directory")]
    public async Task Each_failure_is_a_distinct_error_with_a_fitting_status(string mode, int status, string title)
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        app.Config.Frames.MaxBytes = 4 * 1024 * 1024;
        await Mode(app, mode);
        var started = DateTime.UtcNow;
        var response = await app.Http.GetAsync("/api/streams/door/frame.jpeg");
        await Assert.That((int)response.StatusCode).IsEqualTo(status);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await Assert.That(problem.RootElement.GetProperty("title").GetString()).IsEqualTo(title);
        await Assert.That(DateTime.UtcNow - started).IsLessThan(TimeSpan.FromSeconds(5)); // the deadline holds, even for a hang
        // Counted by cause in /metrics.
        var metrics = await app.Http.GetStringAsync("/metrics");
        await Assert.That(metrics).Contains($"lightnvr_snapshot_errors_total{{kind=\"{title.Split(':')[0]}\"}} 1\n");
    }

    [Test]
    public async Task Names_that_are_not_registered_streams_never_reach_go2rtc()
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        var response = await app.Http.GetAsync("/api/streams/" + Uri.EscapeDataString("rtsp:%2F%2Fevil") + "/frame.jpeg");
        await Assert.That((int)response.StatusCode).IsEqualTo(404);
        var stats = await app.Go2rtcHttp.GetStringAsync($"{app.Go2rtcUrl}/standin/stats");
        await Assert.That(stats).DoesNotContain("/api/frame.jpeg");
    }

    [Test]
    public async Task A_hundred_concurrent_clients_cause_one_upstream_call()
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => app.Http.GetAsync("/api/streams/door/frame.jpeg")));
        await Assert.That(responses.All(r => r.StatusCode == HttpStatusCode.OK)).IsTrue();
        using var stats = JsonDocument.Parse(await app.Go2rtcHttp.GetStringAsync($"{app.Go2rtcUrl}/standin/stats"));
        var calls = stats.RootElement.GetProperty("frames").GetProperty("door").GetInt32();
        Console.WriteLine($"100 concurrent snapshot clients → {calls} upstream frame call(s)");
        await Assert.That(calls).IsEqualTo(1);
    }

    [Test]
    public async Task A_frame_is_held_for_its_reuse_window_and_then_let_go()
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        var frames = app.App.Services.GetRequiredService<SnapshotService>();
        var answers = await Task.WhenAll(new[] { "", "?width=320", "?width=640&height=360" }.Select(size => app.Http.GetAsync("/api/streams/door/frame.jpeg" + size)));
        await Assert.That(answers.All(a => a.StatusCode == HttpStatusCode.OK)).IsTrue();
        await Assert.That(frames.HeldFrames).IsGreaterThan(0); // three sizes held, unless the machine paused past the window
        await Wait.Until(() => frames.HeldFrames == 0, TimeSpan.FromSeconds(10), "the held frames dropped after the 1 s reuse window");
    }

    [Test]
    public async Task While_go2rtc_is_not_ready_callers_get_503_with_retry_after_not_a_hang()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = new AppHarness("cameras:\n  - name: door\n    url: rtsp://127.0.0.1:1/live\n");
        // go2rtc through a link that the test removes: the restart then finds no binary and go2rtc stays down.
        var link = app.Dir.File("go2rtc-link");
        File.CreateSymbolicLink(link, Go2rtcBinary.Path);
        app.Config.Go2rtc.Binary = link;
        await app.Start();
        await app.WaitReady();
        await app.WaitGo2rtcStreams(["door"]);
        File.Delete(link);
        await app.Supervisor.RequestRestart(LightNvr.Go2rtc.RestartReason.Manual);
        await app.WaitFor(s => s.Phase == LightNvr.Go2rtc.Go2rtcPhase.BinaryProblem, "go2rtc down");
        var response = await app.Http.GetAsync("/api/streams/door/frame.jpeg");
        await Assert.That((int)response.StatusCode).IsEqualTo(503);
        await Assert.That(response.Headers.RetryAfter!.Delta).IsEqualTo(TimeSpan.FromSeconds(2));
    }
}
