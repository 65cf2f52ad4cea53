using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.WebRtc;

/// <summary><c>POST /api/webrtc</c> over real HTTP: every refusal has its status and a problem+json body.</summary>
[NotInParallel("webrtc")]
public class OfferEndpointTests
{
    // The one place this class starts the appliance (sign-in goes here once passwords exist).
    private static Task<WebRtcApp> Start(bool reachable = true, Action<LightNvr.Config.AppConfig>? configure = null,
        SupervisorOptions? options = null, bool waitReady = true) => WebRtcApp.Start(reachable, configure, options, waitReady);

    // Enough of an offer for everything before go2rtc's SDP parser.
    private const string Offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=recvonly\r\na=rtpmap:96 VP8/90000\r\n";

    private static async Task<(int Status, string Title, string Detail, HttpResponseMessage Response)> Post(HttpClient http, string query,
        HttpContent? content = null)
    {
        content ??= Sdp(Offer);
        var response = await http.PostAsync("/api/webrtc" + query, content);
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return ((int)response.StatusCode, "", text, response);
        using var doc = JsonDocument.Parse(text);
        return ((int)response.StatusCode, doc.RootElement.GetProperty("title").GetString()!,
            doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString()! : "", response);
    }

    private static ByteArrayContent Sdp(string text, string type = "application/sdp")
    {
        var c = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        c.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return c;
    }

    [Test]
    public async Task Bad_requests_are_refused_before_go2rtc_is_asked()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await Assert.That((await Post(app.Http, "")).Status).IsEqualTo(400);
        await Assert.That((await Post(app.Http, "?src=door", Sdp("hello"))).Title).IsEqualTo("not-an-offer");
        var json = await Post(app.Http, "?src=door", Sdp("{\"type\":\"offer\",\"sdp\":\"v=0\"}", "application/json"));
        await Assert.That((json.Status, json.Title)).IsEqualTo((415, "not-sdp"));
        var big = await Post(app.Http, "?src=door", Sdp("v=0\r\n" + new string('a', 70 * 1024)));
        await Assert.That((big.Status, big.Title)).IsEqualTo((413, "offer-too-large"));
        var unknown = await Post(app.Http, "?src=" + Uri.EscapeDataString("rtsp://evil/x"));
        await Assert.That((unknown.Status, unknown.Title)).IsEqualTo((404, "unknown-stream"));
        var stats = await app.App.Go2rtcHttp.GetStringAsync($"{app.App.Go2rtcUrl}/standin/stats");
        await Assert.That(stats).DoesNotContain("/api/webrtc");
    }

    [Test]
    public async Task A_chunked_offer_over_the_limit_is_413_too()
    {
        await using var app = await Start();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("v=0\r\n" + new string('a', 70 * 1024))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webrtc?src=door") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await app.Http.SendAsync(request);
        await Assert.That((int)response.StatusCode).IsEqualTo(413);
    }

    [Test]
    public async Task Go2rtcs_refusal_comes_back_as_502_with_its_text()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("codecs");
        var r = await Post(app.Http, "?src=door");
        await Assert.That((r.Status, r.Title, r.Detail)).IsEqualTo((502, "go2rtc-error", "streams: codecs not matched"));
    }

    [Test]
    public async Task An_unreachable_camera_is_502_camera_unreachable_with_go2rtcs_dial_error()
    {
        await using var app = await Start(reachable: false);
        var r = await Post(app.Http, "?src=door");
        await Assert.That((r.Status, r.Title)).IsEqualTo((502, "camera-unreachable"));
        await Assert.That(r.Detail).Contains("dial tcp 127.0.0.1:");
    }

    [Test]
    public async Task A_hanging_go2rtc_is_cut_off_at_the_offer_deadline_with_504()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start(configure: c => c.Go2rtc.Webrtc.OfferTimeoutMs = 1000);
        await app.StandInWebRtc("hang");
        var r = await Post(app.Http, "?src=door");
        await Assert.That((r.Status, r.Title)).IsEqualTo((504, "go2rtc-timeout"));
    }

    [Test]
    public async Task Without_a_running_go2rtc_a_known_stream_is_503_with_retry_after()
    {
        await using var app = await Start(configure: c => c.Go2rtc.Binary = "/nonexistent/go2rtc", waitReady: false);
        await Wait.Until(() => app.App.Supervisor.Status.Phase == Go2rtcPhase.BinaryProblem, TimeSpan.FromSeconds(15), "binary problem");
        var r = await Post(app.Http, "?src=door");
        await Assert.That((r.Status, r.Title)).IsEqualTo((503, "go2rtc-restarting"));
        await Assert.That(r.Response.Headers.RetryAfter!.Delta).IsEqualTo(TimeSpan.FromSeconds(2));
        await Assert.That((await Post(app.Http, "?src=garage")).Status).IsEqualTo(404);
    }

    [Test]
    public async Task The_seventh_offer_from_one_address_within_ten_seconds_is_429()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = await Start();
        await app.StandInWebRtc("codecs"); // cheap refusals: the limit counts offers, whatever go2rtc says
        for (var i = 0; i < 6; i++) await Assert.That((await Post(app.Http, "?src=door")).Status).IsEqualTo(502);
        var limited = await Post(app.Http, "?src=door");
        await Assert.That((limited.Status, limited.Title)).IsEqualTo((429, "too-many-offers"));
        await Assert.That(limited.Response.Headers.RetryAfter!.Delta!.Value).IsGreaterThan(TimeSpan.Zero);
        var requests = await app.App.Go2rtcHttp.GetStringAsync($"{app.App.Go2rtcUrl}/standin/stats");
        using var doc = JsonDocument.Parse(requests);
        await Assert.That(doc.RootElement.GetProperty("requests").GetProperty("/api/webrtc").GetInt32()).IsEqualTo(6);
    }
}
