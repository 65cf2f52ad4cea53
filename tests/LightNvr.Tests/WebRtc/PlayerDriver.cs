using LightNvr.Tests.Support;
using Microsoft.Playwright;

namespace LightNvr.Tests.WebRtc;

/// <summary>What the player tests read from the page: its state words, decoded frames, media time.</summary>
internal static class PlayerDriver
{
    public static Task<int> Frames(IPage page) =>
        page.EvaluateAsync<int>("() => document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames");

    /// <summary>Decoded frames keep coming: the count rises by several frames (deadline, not a timed assertion).</summary>
    public static async Task FramesRise(IPage page)
    {
        var first = await Frames(page);
        await Wait.Until(async () => await Frames(page) >= first + 5 ? "" : null, TimeSpan.FromSeconds(20), $"decoded frames to rise above {first + 5}");
    }

    /// <summary>The media clock moves: <c>currentTime</c> gains a second (the video is not frozen on one frame).</summary>
    public static async Task CurrentTimeAdvances(IPage page)
    {
        var first = await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime");
        await Wait.Until(async () => await page.EvaluateAsync<double>("() => document.getElementById('video').currentTime") >= first + 1 ? "" : null,
            TimeSpan.FromSeconds(20), $"currentTime to pass {first + 1:0.0} s");
    }

    public static async Task<string> WaitState(IPage page, string state, double seconds = 30)
    {
        string? last = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            last = await page.EvaluateAsync<string?>("() => window.lightnvr ? window.lightnvr.state + ' | ' + document.getElementById('state').textContent + ' | ' + document.getElementById('detail').textContent : null");
            if (last?.StartsWith(state + " |", StringComparison.Ordinal) == true) return last;
            await Task.Delay(100);
        }
        throw new TimeoutException($"timed out after {seconds} s waiting for player state '{state}' (last: {last ?? "no player status"})");
    }

    public static Task<string> Mode(IPage page) => page.EvaluateAsync<string>("() => window.lightnvr.mode");

    /// <summary>The page's own clock (ms since navigation) for each step, for the figures.</summary>
    public static Task<string> Steps(IPage page) => page.EvaluateAsync<string>(
        "() => `offer sent ${window.lightnvr.offerSentMs} ms, answer ${window.lightnvr.answerMs} ms, fallback ${window.lightnvr.fallbackMs} ms, " +
        "first decoded frame ${window.lightnvr.firstFrameMs} ms after navigation (modes ${window.lightnvr.modes.join(' → ')})`");
}
