using System.Diagnostics;
using LightNvr.Tests.Support;
using Microsoft.Playwright;
using static LightNvr.Tests.WebRtc.PlayerDriver;

namespace LightNvr.Tests.WebRtc;

/// <summary>The player page in a real headless chromium: WebRTC plays, errors are said in words (fallbacks: PlayerFallbackTests).</summary>
[NotInParallel("webrtc")]
public class PlayerPageTests
{
    // The one place this class starts the appliance (sign-in goes here once passwords exist).
    internal const string Password = "player-test-password";
    internal static Task<WebRtcApp> Start(bool reachable = true) => WebRtcApp.Start(reachable, password: Password);

    /// <summary>Chromium on loopback: loopback ICE candidates allowed (Chromium leaves them out by default), media permission on the context.</summary>
    /// <remarks>Live video is private: the page is signed in first, through the login form, as a person would.</remarks>
    internal static async Task<(Browser Browser, IPage Page)> Open(WebRtcApp app, int width = 1280, int height = 800)
    {
        var browser = await Browser.Launch(webrtc: true);
        var page = await browser.NewPage(width, height, media: true);
        await AuthClients.SignIn(page, app.BaseUrl, Password);
        return (browser, page);
    }

    [Test]
    public async Task The_webrtc_link_plays_video_with_rising_decoded_frames()
    {
        await using var app = await Start();
        var (browser, page) = await Open(app);
        await using var _ = browser;
        var clock = Stopwatch.StartNew();
        var response = await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        await Assert.That(response!.Status).IsEqualTo(200);
        await WaitState(page, "playing");
        await Assert.That(await page.EvaluateAsync<int>("() => document.getElementById('video').videoWidth")).IsGreaterThan(0);
        await Assert.That(await page.EvaluateAsync<string>("() => window.lightnvr.mode")).IsEqualTo("webrtc");
        Console.WriteLine($"webrtc, cold (the stand-in starts its peer): {await Steps(page)}; the test saw 'playing' after {clock.ElapsedMilliseconds} ms");
        await FramesRise(page);
        await page.ReloadAsync();
        await WaitState(page, "playing");
        Console.WriteLine($"webrtc, warm: {await Steps(page)}");
        await Assert.That(await page.TextContentAsync("#state")).IsEqualTo("playing");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("webrtc-player-1280.png") });
    }

    [Test]
    public async Task The_player_fits_a_phone()
    {
        await using var app = await Start();
        var (browser, page) = await Open(app, 390, 844);
        await using var _ = browser;
        await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        await WaitState(page, "playing");
        await FramesRise(page);
        // Nothing wider than the screen: no sideways scrolling on a phone.
        await Assert.That(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).IsLessThanOrEqualTo(390);
        var videoWidth = await page.EvaluateAsync<double>("() => document.getElementById('video').getBoundingClientRect().width");
        await Assert.That(videoWidth).IsGreaterThan(350);
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("webrtc-player-390.png"), FullPage = true });
    }

    [Test]
    public async Task An_unreachable_camera_is_said_with_go2rtcs_own_words()
    {
        await using var app = await Start(reachable: false);
        var (browser, page) = await Open(app);
        await using var _ = browser;
        await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        var state = await WaitState(page, "unreachable");
        await Assert.That(await page.TextContentAsync("#state")).StartsWith("camera unreachable");
        await Assert.That(await page.TextContentAsync("#detail")).Contains("dial tcp 127.0.0.1:");
        await Assert.That(state).Contains("retrying in");
    }

    [Test]
    public async Task An_unknown_stream_is_a_404_page_that_says_so()
    {
        await using var app = await Start();
        var (browser, page) = await Open(app);
        await using var _ = browser;
        var response = await page.GotoAsync(app.BaseUrl + "/webrtc/garage");
        await Assert.That(response!.Status).IsEqualTo(404);
        await Assert.That(await page.TextContentAsync("h1")).IsEqualTo("No such stream");
        await Assert.That(await page.TextContentAsync("#detail")).Contains("garage");
    }
}
