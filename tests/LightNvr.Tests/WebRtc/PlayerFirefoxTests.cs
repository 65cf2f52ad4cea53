using System.Text.Json;
using LightNvr.Tests.Support;
using static LightNvr.Tests.WebRtc.PlayerPageTests;

namespace LightNvr.Tests.WebRtc;

/// <summary>
/// The player in Debian's firefox-esr (no native HLS: before MSE it had no fallback at all), driven
/// over WebDriver BiDi: go2rtc refuses the offer and the page plays go2rtc's MP4 through a MediaSource.
/// </summary>
[NotInParallel("webrtc")]
public class PlayerFirefoxTests
{
    [Test]
    public async Task Firefox_plays_the_mse_fallback_with_advancing_media_time()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("codecs");
        await using var firefox = await Firefox.Launch();

        await firefox.Navigate(app.BaseUrl + "/login");
        await firefox.Evaluate($"document.getElementById('password').value = {JsonSerializer.Serialize(Password)}; document.querySelector('button[type=submit]').click(); true");
        await Wait.Until(async () => await Text(firefox, "location.pathname") is { } path && path != "/login" ? path : null,
            TimeSpan.FromSeconds(30), "the login form to let Firefox in");

        await firefox.Navigate(app.BaseUrl + "/webrtc/door");
        var state = await Wait.Until(async () => await Text(firefox, "window.lightnvr && window.lightnvr.firstFrameMs !== null ? window.lightnvr.state + ' | ' + document.getElementById('detail').textContent : null"),
            TimeSpan.FromSeconds(45), "a first decoded frame in Firefox");
        await Assert.That(state).StartsWith("mse | ");
        await Assert.That(state).Contains("codecs not matched");
        var first = await Number(firefox, "document.getElementById('video').currentTime");
        await Wait.Until(async () => await Number(firefox, "document.getElementById('video').currentTime") >= first + 1 ? "" : null,
            TimeSpan.FromSeconds(20), $"currentTime in Firefox to pass {first + 1:0.0} s");
        Console.WriteLine($"firefox mse: {await Text(firefox, "`fallback ${window.lightnvr.fallbackMs} ms, first frame ${window.lightnvr.firstFrameMs} ms after navigation`")}");
    }

    private static async Task<string?> Text(Firefox firefox, string expression) =>
        (await firefox.Evaluate(expression))?.GetValue<string>();

    private static async Task<double> Number(Firefox firefox, string expression) =>
        (await firefox.Evaluate(expression))?.GetValue<double>() ?? double.NaN;
}
