using System.Net;
using System.Text;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Web;

/// <summary>
/// The one LAN endpoint over real HTTP: Host names (DNS rebinding), headers on every answer, body
/// limits before reading, 415 for a wrong Content-Type, and the login limit under concurrency.
/// </summary>
public class LanEndpointTests
{
    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        await Assert.That(response.StatusCode).IsEqualTo(status);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/problem+json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static HttpRequestMessage WithHost(HttpMethod method, string path, string host, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Host = host;
        return request;
    }

    [Test]
    public async Task Foreign_host_names_get_421_and_cannot_set_the_password_during_onboarding()
    {
        await using var app = new AppHarness().Onboarding();
        app.Config.Web.Hostnames = ["nvr.home.lan"];
        await app.Start();
        var port = app.Http.BaseAddress!.Port;
        using var http = AuthClients.Client(app.Http.BaseAddress!);

        // A DNS-rebinding page: its own name, a matching Origin, the setup form.
        var setup = WithHost(HttpMethod.Post, "/setup", $"evil.example:{port}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = "attacker-password", ["confirm"] = "attacker-password" }));
        setup.Headers.Add("Origin", $"http://evil.example:{port}");
        var refused = await Problem(await http.SendAsync(setup), HttpStatusCode.MisdirectedRequest);
        await Assert.That(refused.GetProperty("detail").GetString()!).Contains("web.hostnames");
        await Assert.That(app.App.Services.GetRequiredService<PasswordStore>().Exists).IsFalse();
        foreach (var host in new[] { $"evil.example:{port}", "evil.example", $"nvr.home.lan.evil.example:{port}", $"127.0.0.1.nip.io:{port}", $"2130706433:{port}" })
            await Problem(await http.SendAsync(WithHost(HttpMethod.Get, "/setup", host)), HttpStatusCode.MisdirectedRequest);

        // Liveness answers whatever the Host; the appliance's own names and addresses answer.
        await Assert.That((await http.SendAsync(WithHost(HttpMethod.Get, "/healthz", "evil.example"))).StatusCode).IsEqualTo(HttpStatusCode.OK);
        var own = new[]
        {
            $"127.0.0.1:{port}", $"localhost:{port}", $"LOCALHOST:{port}", $"{Environment.MachineName}:{port}",
            $"{Environment.MachineName}.local:{port}", $"nvr.home.lan:{port}", $"[::1]:{port}", $"192.168.1.10:{port}",
        };
        foreach (var host in own)
            await Assert.That((await http.SendAsync(WithHost(HttpMethod.Get, "/setup", host))).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Every_answer_carries_csp_nosniff_and_referrer_policy()
    {
        await using var app = await new AppHarness("cameras:\n  - name: door\n    url: rtsp://10.0.0.5/a\n").Start();
        using var anonymous = AuthClients.Client(app.Http.BaseAddress!);
        var answers = new List<HttpResponseMessage>
        {
            await app.Http.GetAsync("/"), await app.Http.GetAsync("/webrtc/door"), await app.Http.GetAsync("/webrtc/nope"),
            await app.Http.GetAsync("/api/status"), await app.Http.GetAsync("/api/nope"), await anonymous.GetAsync("/login"),
            await anonymous.GetAsync("/healthz"), await anonymous.GetAsync("/api/status"), await app.Http.GetAsync(LightNvr.Web.StatusAssets.Js.Url),
            await app.Http.GetAsync("/api/status/view"),
        };
        foreach (var r in answers)
        {
            var csp = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
            await Assert.That(csp).Contains("frame-ancestors 'none'");
            await Assert.That(csp).DoesNotContain("unsafe-inline");
            await Assert.That(r.Headers.GetValues("X-Content-Type-Options").Single()).IsEqualTo("nosniff");
            await Assert.That(r.Headers.GetValues("Referrer-Policy").Single()).IsEqualTo("same-origin");
        }
    }

    [Test]
    public async Task Bodies_over_the_route_limit_get_413_before_they_are_read()
    {
        await using var app = await new AppHarness().Start();
        // Declared too long: refused at once, whatever the route.
        var big = new ByteArrayContent(new byte[LightNvr.Web.BodyLimits.JsonBytes + 1]);
        big.Headers.ContentType = new("application/json");
        var json = await Problem(await app.Http.PostAsync("/api/streams", big), HttpStatusCode.RequestEntityTooLarge);
        await Assert.That(json.GetProperty("detail").GetString()!).Contains("64 KiB");
        // Chunked (no length up front): read only up to the limit. Just over it, like the body above: a body far over
        // it is still being written when the server answers and closes, and the client then sees a broken pipe
        // instead of the answer.
        var chunked = new StreamContent(new MemoryStream(new byte[LightNvr.Web.BodyLimits.JsonBytes + 4096]));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/streams") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await Problem(await app.Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
        // Forms: 4 KiB.
        using var anonymous = AuthClients.Client(app.Http.BaseAddress!);
        var form = await AuthClients.PostForm(anonymous, "/login", new() { ["password"] = new string('x', 5000) });
        await Problem(form, HttpStatusCode.RequestEntityTooLarge);
        // The SDP offer: 64 KiB.
        var offer = new ByteArrayContent(new byte[LightNvr.Web.BodyLimits.OfferBytes + 1]);
        offer.Headers.ContentType = new("application/sdp");
        var sdp = await Problem(await app.Http.PostAsync("/api/webrtc?src=door", offer), HttpStatusCode.RequestEntityTooLarge);
        await Assert.That(sdp.GetProperty("title").GetString()).IsEqualTo("offer-too-large");
        // A body under the limit with an oversized field: 400 naming the field, nothing saved.
        var field = await app.Http.PostAsync("/api/streams", new StringContent(
            $"{{\"name\":\"door\",\"url\":\"rtsp://10.0.0.5/a\",\"username\":\"admin\",\"password\":\"{new string('p', 40_000)}\"}}", Encoding.UTF8, "application/json"));
        var refused = await Problem(field, HttpStatusCode.BadRequest);
        await Assert.That(refused.GetProperty("errors").GetProperty("password")[0].GetString()!).Contains("the limit is 1024");
        await Assert.That(File.Exists(app.StreamsPath)).IsFalse();
    }

    [Test]
    public async Task A_wrong_content_type_on_an_existing_route_answers_415_naming_the_expected_type()
    {
        await using var app = await new AppHarness().Start();
        var text = await Problem(await app.Http.PostAsync("/api/streams", new StringContent("{\"name\":\"a\",\"url\":\"rtsp://10.0.0.5/a\"}", Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType);
        await Assert.That(text.GetProperty("detail").GetString()!).Contains("application/json").And.Contains("text/plain");
        var put = await Problem(await app.Http.PutAsync("/api/streams/a", new FormUrlEncodedContent([])), HttpStatusCode.UnsupportedMediaType);
        await Assert.That(put.GetProperty("detail").GetString()!).Contains("application/json");
        await Problem(await app.Http.PostAsync("/api/no-such-route", new StringContent("x")), HttpStatusCode.NotFound);
        // The sign-in form too: JSON to /login is not a wrong password, it is the wrong type.
        using var anonymous = AuthClients.Client(app.Http.BaseAddress!);
        var login = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new StringContent("{\"password\":\"x\"}", Encoding.UTF8, "application/json") };
        login.Headers.Add("Origin", app.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        var form = await Problem(await anonymous.SendAsync(login), HttpStatusCode.UnsupportedMediaType);
        await Assert.That(form.GetProperty("detail").GetString()!).Contains("application/x-www-form-urlencoded");
    }

    [Test]
    public async Task Forty_parallel_wrong_passwords_cost_at_most_five_hash_checks()
    {
        await using var app = await new AppHarness().WithPassword("right-password-123").Start();
        var store = app.App.Services.GetRequiredService<PasswordStore>();

        // The right password 30 times at once on a cold start: all let in, hashed once, nothing refused.
        using var parallel = AuthClients.Client(app.Http.BaseAddress!, "127.0.0.60");
        var before = store.HashChecks;
        var rights = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
            request.Headers.Authorization = AppHarness.BasicHeader("right-password-123");
            return parallel.SendAsync(request);
        }));
        await Assert.That(rights.All(r => r.StatusCode == HttpStatusCode.OK)).IsTrue();
        await Assert.That(store.HashChecks - before).IsEqualTo(1);

        using var form = AuthClients.Client(app.Http.BaseAddress!, "127.0.0.61");
        before = store.HashChecks;
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => AuthClients.PostLogin(form, $"wrong-password-{i}")));
        var formChecks = store.HashChecks - before;
        Console.WriteLine($"40 parallel wrong form logins: {formChecks} PBKDF2 checks, {answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests)} × 429");
        await Assert.That(formChecks).IsLessThanOrEqualTo(LoginThrottle.Limit);
        await Assert.That(answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests)).IsGreaterThanOrEqualTo(40 - LoginThrottle.Limit);

        using var basic = AuthClients.Client(app.Http.BaseAddress!, "127.0.0.62");
        before = store.HashChecks;
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
            request.Headers.Authorization = AppHarness.BasicHeader($"wrong-{i}");
            return basic.SendAsync(request);
        }));
        await Assert.That(store.HashChecks - before).IsLessThanOrEqualTo(LoginThrottle.Limit);

        // A right password is not a failure: it gives its reservation back.
        using var right = AuthClients.Client(app.Http.BaseAddress!, "127.0.0.63");
        for (var i = 0; i < LoginThrottle.Limit + 3; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
            request.Headers.Authorization = AppHarness.BasicHeader("right-password-123");
            await Assert.That((await right.SendAsync(request)).StatusCode).IsEqualTo(HttpStatusCode.OK);
        }
    }
}
