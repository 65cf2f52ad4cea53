using System.Net;
using System.Net.Sockets;
using LightNvr.Config;
using LightNvr.Recording;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Recording;

/// <summary>The recordings page in a real headless Chromium: a recorded segment plays (a duration, and currentTime advancing).</summary>
[NotInParallel("go2rtc-lifecycle")]
public class RecordingPageTests
{
    private const string Password = "recording-page-password";

    [Test]
    public async Task A_recorded_segment_plays_in_chromium()
    {
        Go2rtcBinary.RequireStandIn();
        using var camera = new TcpListener(IPAddress.Loopback, Ports.Free());
        camera.Start();
        await using var app = new AppHarness($"cameras:\n  - name: door\n    url: rtsp://127.0.0.1:{((IPEndPoint)camera.LocalEndpoint).Port}/live\n    record: true\n")
            .WithPassword(Password);
        var dir = Path.Combine(app.Dir.Path, "recordings");
        Directory.CreateDirectory(dir);
        app.Config.Record = new RecordSettings { Dir = dir, SegmentSeconds = 4, OverlapSeconds = 2 };
        await app.Start();
        var day = RecordingMedia.Today;
        var dayDir = Path.Combine(dir, "door", day);
        await Wait.Until(() => SegmentIndex.Read(dayDir).Any(e => e.Kind == IndexEntry.Segment), TimeSpan.FromSeconds(60), "a recorded segment");
        var file = SegmentIndex.Read(dayDir).First(e => e.Kind == IndexEntry.Segment).File!;

        await using var browser = await Browser.Launch();
        var page = await browser.NewPage();
        var baseUrl = app.Http.BaseAddress!.ToString().TrimEnd('/');
        await AuthClients.SignIn(page, baseUrl, Password);
        await page.GotoAsync($"{baseUrl}/recordings?camera=door&day={day}");
        var play = page.Locator($"button.play[data-file='{file}']");
        await play.WaitForAsync(new() { Timeout = 20_000 });
        await play.ClickAsync();

        await Wait.Until(async () => await page.EvaluateAsync<double>("() => document.getElementById('video').duration || 0") > 0 ? "" : null,
            TimeSpan.FromSeconds(20), "the video's duration");
        var duration = await page.EvaluateAsync<double>("() => document.getElementById('video').duration");
        await Assert.That(duration).IsBetween(4.0, 7.0);
        var start = await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime");
        await Wait.Until(async () => await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime") > start + 1 ? "" : null,
            TimeSpan.FromSeconds(20), "currentTime advancing by a second");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("recordings-desktop.png") });
    }
}
