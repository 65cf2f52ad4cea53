using System.Net;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.WebRtc;

/// <summary>
/// go2rtc's fallbacks through our endpoint: HLS (the playlists' relative URLs come back to us, segments
/// are real MPEG-TS) and stream.mp4 (fragmented MP4 streamed as it comes), signed in and known streams only.
/// </summary>
[NotInParallel("webrtc")]
public class MediaProxyTests
{
    // The one place this class starts the appliance (sign-in goes here once passwords exist).
    private static Task<WebRtcApp> Start() => WebRtcApp.Start();

    private static Uri Resolve(Uri baseUri, string playlist) =>
        new(baseUri, playlist.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0 && !l.StartsWith('#')));

    [Test]
    public async Task Master_playlist_media_playlist_and_a_segment_all_come_through_us()
    {
        await using var app = await Start();
        var master = new Uri(app.Http.BaseAddress!, "/api/stream.m3u8?src=door");
        var masterText = await app.Http.GetStringAsync(master);
        await Assert.That(masterText).StartsWith("#EXTM3U");
        var media = Resolve(master, masterText);
        await Assert.That(media.AbsolutePath).IsEqualTo("/api/hls/playlist.m3u8");
        await Assert.That(media.Authority).IsEqualTo(app.Http.BaseAddress!.Authority); // through us, not go2rtc's port

        var mediaText = await app.Http.GetStringAsync(media);
        var segment = Resolve(media, mediaText);
        await Assert.That(segment.AbsolutePath).IsEqualTo("/api/hls/segment.ts");
        using var response = await app.Http.GetAsync(segment, HttpCompletionOption.ResponseHeadersRead);
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        await Assert.That(bytes.Length).IsGreaterThan(188);
        await Assert.That(bytes[0]).IsEqualTo((byte)0x47); // MPEG-TS sync byte
        await Assert.That(bytes[188]).IsEqualTo((byte)0x47);
    }

    [Test]
    public async Task Unknown_streams_and_every_other_go2rtc_path_are_not_reachable()
    {
        await using var app = await Start();
        await Assert.That((int)(await app.Http.GetAsync("/api/stream.m3u8?src=garage")).StatusCode).IsEqualTo(404);
        await Assert.That((int)(await app.Http.GetAsync("/api/stream.m3u8?src=" + Uri.EscapeDataString("rtsp://127.0.0.1/x"))).StatusCode).IsEqualTo(404);
        await Assert.That((int)(await app.Http.GetAsync("/api/stream.mp4?src=garage")).StatusCode).IsEqualTo(404);
        await Assert.That((int)(await app.Http.GetAsync("/api/stream.mp4?src=" + Uri.EscapeDataString("exec:id"))).StatusCode).IsEqualTo(404);
        foreach (var path in new[] { "/api/config", "/api/restart", "/api/exit?code=1", "/api/hls/../config", "/api/frame.mp4?src=door", "/api/log", "/api/ws?src=door" })
            await Assert.That((int)(await app.Http.GetAsync(path)).StatusCode).IsEqualTo(404).Because(path);
        // Read-only: no method but GET/HEAD reaches go2rtc's HLS (the API's catch-all answers other
        // methods on an existing path with a 405 problem naming the allowed ones).
        using var post = await app.Http.PostAsync("/api/stream.m3u8?src=door", null);
        await Assert.That((int)post.StatusCode).IsEqualTo(405);
        await Assert.That(post.Content.Headers.Allow).Contains("GET");
        await Assert.That(post.Content.Headers.ContentType?.MediaType).IsEqualTo("application/problem+json");
    }

    [Test]
    public async Task Stream_mp4_comes_through_us_as_it_is_made_and_only_signed_in()
    {
        await using var app = await Start();
        using var anonymous = new HttpClient { BaseAddress = app.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using (var refused = await anonymous.GetAsync("/api/stream.mp4?src=door", HttpCompletionOption.ResponseHeadersRead))
            await Assert.That((int)refused.StatusCode).IsEqualTo(401);

        using var response = await app.Http.GetAsync("/api/stream.mp4?src=door", HttpCompletionOption.ResponseHeadersRead);
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType?.ToString()).StartsWith("video/mp4; codecs=");
        // An endless body: the first boxes arrive while go2rtc is still writing (streamed, not buffered).
        await using var body = await response.Content.ReadAsStreamAsync();
        var head = new byte[8];
        await body.ReadExactlyAsync(head).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        await Assert.That(System.Text.Encoding.ASCII.GetString(head, 4, 4)).IsEqualTo("ftyp");
    }
}
