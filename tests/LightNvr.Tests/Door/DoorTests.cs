using System.Net;
using System.Net.WebSockets;
using System.Text;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Door;

/// <summary>
/// The door to go2rtc end to end: the real appliance in front of the go2rtc stand-in (which serves under
/// api.base_path like go2rtc), reached over HTTP and a real WebSocket.
/// </summary>
[NotInParallel("webrtc")]
public class DoorTests
{
    [Test]
    public async Task Closed_by_default_the_route_does_not_exist_and_go2rtc_runs_without_a_base_path()
    {
        await using var app = await DoorApp.Start(open: false);
        foreach (var path in new[] { "/go2rtc/", "/go2rtc/api/streams", "/go2rtc" })
            await Assert.That((int)(await app.Http.GetAsync(path)).StatusCode).IsEqualTo(404).Because(path);
        await Assert.That((int)(await app.App.Go2rtcHttp.GetAsync(app.App.Go2rtcUrl + "/api")).StatusCode).IsEqualTo(200);
        await Assert.That(await app.Http.GetStringAsync("/")).DoesNotContain("href=\"/go2rtc/\"");
    }

    [Test]
    public async Task Without_the_admin_nothing_goes_through()
    {
        await using var app = await DoorApp.Start();
        using var anonymous = new HttpClient { BaseAddress = app.Http.BaseAddress };
        using var api = await anonymous.GetAsync("/go2rtc/api/streams");
        await Assert.That((int)api.StatusCode).IsEqualTo(401);
        await Assert.That(api.Headers.WwwAuthenticate.ToString()).Contains("Basic");
        using var wrong = new HttpRequestMessage(HttpMethod.Delete, "/go2rtc/api/streams?src=door");
        wrong.Headers.Authorization = AppHarness.BasicHeader("not-the-password");
        await Assert.That((int)(await anonymous.SendAsync(wrong)).StatusCode).IsEqualTo(401);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/go2rtc/");
        page.Headers.Add("Accept", "text/html");
        using var redirect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Http.BaseAddress }.SendAsync(page);
        await Assert.That((int)redirect.StatusCode).IsEqualTo(302);
        await Assert.That(redirect.Headers.Location!.ToString()).IsEqualTo("/login?return=%2Fgo2rtc%2F");
        using var ws = await DoorApp.OpenWs(app, "src=door", password: null);
        await Assert.That(ws.State).IsNotEqualTo(WebSocketState.Open);
        await Assert.That(ws.HttpStatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That((await app.App.Go2rtcStreams()).Keys.ToArray()).IsEquivalentTo(["door"]); // the DELETE never arrived
    }

    [Test]
    public async Task The_ui_its_api_and_a_websocket_work_through_the_door_under_go2rtcs_base_path()
    {
        await using var app = await DoorApp.Start();
        using var page = await app.Http.GetAsync("/go2rtc/");
        await Assert.That((int)page.StatusCode).IsEqualTo(200);
        await Assert.That(page.Content.Headers.ContentType!.MediaType).IsEqualTo("text/html");
        await Assert.That(await page.Content.ReadAsStringAsync()).Contains("go2rtc stand-in");
        await Assert.That(page.Headers.GetValues("Content-Security-Policy").Single()).Contains("script-src 'self' 'unsafe-inline'");
        await Assert.That(await app.Http.GetStringAsync("/go2rtc/api/streams")).Contains("\"door\"");
        // go2rtc itself serves only under the base path now: the door rewrote nothing.
        await Assert.That((int)(await app.App.Go2rtcHttp.GetAsync(app.App.Go2rtcUrl + "/api")).StatusCode).IsEqualTo(404);
        await Assert.That((int)(await app.App.Go2rtcHttp.GetAsync(app.App.Go2rtcUrl + "/go2rtc/api")).StatusCode).IsEqualTo(200);
        await Assert.That(await app.Http.GetStringAsync("/")).Contains("href=\"/go2rtc/\"");

        using var ws = await DoorApp.OpenWs(app, "src=door");
        await Assert.That(ws.State).IsEqualTo(WebSocketState.Open);
        var reply = await DoorApp.Exchange(ws, "{\"type\":\"mse\",\"value\":\"avc1.640029\"}");
        await Assert.That(reply.GetProperty("type").GetString()).IsEqualTo("mse");
        using var unknown = await DoorApp.OpenWs(app, "src=garage");
        reply = await DoorApp.Exchange(unknown, "{\"type\":\"mse\"}");
        await Assert.That(reply.GetProperty("value").GetString()).IsEqualTo("mse: streams: stream not found");
        // go2rtc's own Origin check still holds: the Host it sees is ours, so another site's page is refused.
        using var foreign = await DoorApp.OpenWs(app, "src=door", origin: "http://evil.example");
        await Assert.That(foreign.HttpStatusCode).IsEqualTo(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_camera_stream_is_read_only_an_unmanaged_one_can_be_added_and_removed()
    {
        await using var app = await DoorApp.Start();
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete })
        {
            using var call = await app.Http.SendAsync(new HttpRequestMessage(method, "/go2rtc/api/streams?src=door&name=door"));
            var (status, title, detail) = await DoorApp.Problem(call);
            await Assert.That(status).IsEqualTo(403).Because(method.Method);
            await Assert.That(title).IsEqualTo("managed-stream");
            await Assert.That(detail).Contains("change the camera with the appliance's API");
        }
        var before = (await app.App.Go2rtcStreams())["door"];

        var extra = Uri.EscapeDataString("rtsp://10.0.0.9:554/extra");
        using (var put = await app.Http.PutAsync($"/go2rtc/api/streams?name=extra&src={extra}", null))
            await Assert.That((int)put.StatusCode).IsEqualTo(200);
        await app.App.WaitGo2rtcStreams(["door", "extra"]);
        using (var delete = await app.Http.DeleteAsync("/go2rtc/api/streams?src=extra"))
            await Assert.That((int)delete.StatusCode).IsEqualTo(200);
        await app.App.WaitGo2rtcStreams(["door"]);
        await Assert.That((await app.App.Go2rtcStreams())["door"]).IsEquivalentTo(before);
    }

    [Test]
    public async Task Credentials_in_go2rtcs_answers_are_masked_through_the_door()
    {
        await using var app = await DoorApp.Start();
        var source = Uri.EscapeDataString("rtsp://admin:hunter2-secret@10.0.0.9:554/extra?password=query-secret");
        using (var put = await app.Http.PutAsync($"/go2rtc/api/streams?name=extra&src={source}", null))
            await Assert.That((int)put.StatusCode).IsEqualTo(200);
        await app.App.WaitGo2rtcStreams(["door", "extra"]);
        // go2rtc itself holds and answers the source as given; the door shows it masked, in every text answer.
        await Assert.That(await app.App.Go2rtcHttp.GetStringAsync(app.App.Go2rtcUrl + "/go2rtc/api/streams")).Contains("hunter2-secret");
        foreach (var path in new[] { "/go2rtc/api/streams", "/go2rtc/api/streams?src=extra" })
        {
            using var answer = await app.Http.GetAsync(path);
            var text = await answer.Content.ReadAsStringAsync();
            await Assert.That((int)answer.StatusCode).IsEqualTo(200).Because(path);
            await Assert.That(text).Contains("rtsp://***@10.0.0.9:554/extra").Because(path);
            await Assert.That(text).DoesNotContain("hunter2-secret").And.DoesNotContain("query-secret").Because(path);
            await Assert.That(answer.Content.Headers.ContentLength).IsNull().Or.IsEqualTo(Encoding.UTF8.GetByteCount(text));
        }
    }

    [Test]
    public async Task Command_sources_own_services_and_go2rtcs_config_and_lifecycle_are_refused()
    {
        await using var app = await DoorApp.Start();
        var pid = app.App.Supervisor.Status.Pid;
        var own = Uri.EscapeDataString($"rtsp://127.0.0.1:{app.App.Config.Go2rtc.ApiPort}/x");
        var cases = new (HttpMethod Method, string Path, string Title, string Says)[]
        {
            (HttpMethod.Put, "/go2rtc/api/streams?name=evil&src=" + Uri.EscapeDataString("exec:ffmpeg -i x"), "source-refused", "exec: sources make go2rtc run commands"),
            (HttpMethod.Put, "/go2rtc/api/streams?name=evil&src=" + own, "source-refused", "src:"),
            (HttpMethod.Get, "/go2rtc/api/frame.jpeg?src=" + Uri.EscapeDataString("exec:ls"), "source-refused", "exec:"),
            (HttpMethod.Post, "/go2rtc/api/config", "owned-by-the-appliance", "written by the appliance"),
            (HttpMethod.Patch, "/go2rtc/api/config", "owned-by-the-appliance", "written by the appliance"),
            (HttpMethod.Post, "/go2rtc/api/restart", "owned-by-the-appliance", "restarts go2rtc"),
            (HttpMethod.Post, "/go2rtc/api/exit?code=0", "owned-by-the-appliance", "stops go2rtc"),
        };
        foreach (var (method, path, title, says) in cases)
        {
            var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get) request.Content = new StringContent("streams: {}\n", Encoding.UTF8, "application/yaml");
            var (status, t, detail) = await DoorApp.Problem(await app.Http.SendAsync(request));
            await Assert.That((status, t)).IsEqualTo((403, title)).Because(path);
            await Assert.That(detail).Contains(says).Because(path);
        }
        await Assert.That((await app.App.Go2rtcStreams()).Keys.ToArray()).IsEquivalentTo(["door"]);
        await Assert.That(app.App.Supervisor.Status.Pid).IsEqualTo(pid);
        await Assert.That(await app.App.Go2rtcHttp.GetStringAsync(app.App.Go2rtcUrl + "/go2rtc/api/config")).DoesNotContain("streams: {}");
    }

    [Test]
    public async Task Too_many_requests_from_one_address_get_429()
    {
        await using var app = await DoorApp.Start();
        HttpResponseMessage? refused = null;
        for (var sent = 0; refused is null && sent < 10 * LightNvr.Door.DoorProxy.Permits; sent += 20)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.Http.GetAsync("/go2rtc/api")));
            refused = batch.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        }
        await Assert.That(refused).IsNotNull();
        var (_, title, detail) = await DoorApp.Problem(refused!);
        await Assert.That(title).IsEqualTo("too-many-requests");
        await Assert.That(detail).Contains($"at most {LightNvr.Door.DoorProxy.Permits} requests per 10 s");
        await Assert.That(int.Parse(refused!.Headers.GetValues("Retry-After").Single())).IsBetween(1, 10);
        // Only the door is limited: the appliance's own API still answers.
        await Assert.That((int)(await app.Http.GetAsync("/api/status")).StatusCode).IsEqualTo(200);
    }

    /// <summary>With the door open go2rtc answers only under /go2rtc (the stand-in 404s anything else), so each of these proves its caller follows the base path.</summary>
    [Test]
    public async Task Health_hls_webrtc_and_snapshots_still_work_with_go2rtc_under_the_base_path()
    {
        await using var app = await DoorApp.Start();
        await Wait.Until(async () =>
        {
            using var json = System.Text.Json.JsonDocument.Parse(await app.Http.GetStringAsync("/api/health"));
            return json.RootElement.GetProperty("api").GetString() == "Healthy" ? "" : null;
        }, TimeSpan.FromSeconds(20), "the health loop to see go2rtc's API healthy");
        await Assert.That(await app.Http.GetStringAsync("/api/stream.m3u8?src=door")).StartsWith("#EXTM3U");
        var offer = new ByteArrayContent(Encoding.UTF8.GetBytes(
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=recvonly\r\na=rtpmap:96 VP8/90000\r\n"));
        offer.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/sdp");
        // The stand-in needs a real peer to answer (WebRtc tests have one); here it is enough that go2rtc's WebRTC saw the offer.
        using (var answer = await app.Http.PostAsync("/api/webrtc?src=door", offer))
            await Assert.That((await DoorApp.Problem(answer)).Detail).DoesNotContain("not found");
        using (var frame = await app.Http.GetAsync("/api/streams/door/frame.jpeg"))
        {
            await Assert.That((int)frame.StatusCode).IsEqualTo(200);
            await Assert.That(frame.Content.Headers.ContentType!.MediaType).IsEqualTo("image/jpeg");
        }
        await Assert.That(app.App.Supervisor.Status.Generation).IsEqualTo(1); // never restarted for a probe that missed
        using var stats = System.Text.Json.JsonDocument.Parse(await app.App.Go2rtcHttp.GetStringAsync(app.App.Go2rtcUrl + "/standin/stats"));
        var paths = stats.RootElement.GetProperty("requests").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/go2rtc/api/webrtc", "/go2rtc/api/frame.jpeg", "/go2rtc/api/stream.m3u8", "/go2rtc/api/streams" })
            await Assert.That(paths).Contains(path);
        await Assert.That(paths.Where(p => p.StartsWith("/api", StringComparison.Ordinal)).ToList()).IsEmpty();
    }
}
