using LightNvr.Tests.Support;
using static LightNvr.Tests.WebRtc.PlayerDriver;
using static LightNvr.Tests.WebRtc.PlayerPageTests;

namespace LightNvr.Tests.WebRtc;

/// <summary>
/// The player's order in a real headless chromium, each step forced through the stand-in: WebRTC,
/// then MSE (go2rtc's stream.mp4 through us), then HLS; a WebRTC that does not connect is left
/// behind within 3 s and still takes the video over when it connects later.
/// </summary>
[NotInParallel("webrtc")]
public class PlayerFallbackTests
{
    [Test]
    public async Task Offer_refused_mse_plays_and_its_media_time_advances()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("codecs");
        var (browser, page) = await Open(app);
        await using var _ = browser;
        await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        await WaitState(page, "mse");
        await FramesRise(page);
        await CurrentTimeAdvances(page);
        await Assert.That(await Mode(page)).IsEqualTo("mse");
        await Assert.That(await page.TextContentAsync("#state")).IsEqualTo("fallback (MSE)");
        await Assert.That(await page.TextContentAsync("#detail")).Contains("codecs not matched");
        Console.WriteLine($"mse after a refused offer: {await Steps(page)}");
    }

    [Test]
    public async Task Mse_refused_by_go2rtc_hls_plays()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("codecs");
        await app.StandInMp4("codecs");
        var (browser, page) = await Open(app);
        await using var _ = browser;
        await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        await WaitState(page, "hls", 45);
        await FramesRise(page);
        await CurrentTimeAdvances(page);
        await Assert.That(await Mode(page)).IsEqualTo("hls");
        await Assert.That(await page.TextContentAsync("#detail")).Contains("MSE: streams: codecs not matched");
        Console.WriteLine($"hls after refused offer and refused mp4: {await Steps(page)}");
    }

    [Test]
    public async Task A_browser_without_mse_plays_hls()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("codecs");
        var (browser, page) = await Open(app);
        await using var _ = browser;
        // As on an iPhone before iOS 17: no MediaSource at all.
        await page.AddInitScriptAsync("delete window.MediaSource; delete window.ManagedMediaSource;");
        await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        await WaitState(page, "hls", 45);
        await CurrentTimeAdvances(page);
        await Assert.That(await page.TextContentAsync("#detail")).Contains("no MSE");
    }

    [Test]
    public async Task When_ice_never_connects_the_player_moves_on_within_3_seconds()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("noice");
        var (browser, page) = await Open(app);
        await using var _ = browser;
        await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        await WaitState(page, "mse");
        var waited = await page.EvaluateAsync<int>("() => window.lightnvr.fallbackMs - window.lightnvr.startedMs");
        // The page's own clock: the timer is 3000 ms; a loaded machine may fire it a little late.
        await Assert.That(waited).IsBetween(2900, 3400);
        await CurrentTimeAdvances(page);
        Console.WriteLine($"ice never connects: moved on {waited} ms after the attempt began; {await Steps(page)}");
    }

    [Test]
    public async Task A_webrtc_that_connects_late_takes_the_video_over_from_mse()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("slow"); // the answer comes after 5 s
        var (browser, page) = await Open(app);
        await using var _ = browser;
        await page.GotoAsync(app.BaseUrl + "/webrtc/door");
        await WaitState(page, "mse");
        await WaitState(page, "playing");
        await Assert.That(await page.EvaluateAsync<string>("() => window.lightnvr.modes.join(',')")).IsEqualTo("webrtc,mse,webrtc");
        await Assert.That(await page.EvaluateAsync<bool>("() => document.getElementById('video').srcObject instanceof MediaStream")).IsTrue();
        await FramesRise(page);
        Console.WriteLine($"late webrtc: {await Steps(page)}");
    }
}
