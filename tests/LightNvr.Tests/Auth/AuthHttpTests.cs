using System.Net;
using System.Text;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LightNvr.Tests.Auth;

/// <summary>The login over real HTTP: onboarding, cookie sessions, Basic, same-origin, the limit, API errors.</summary>
public class AuthHttpTests
{
    private const string Password = "test-admin-password";
    private const UnixFileMode OwnerRw = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static HttpRequestMessage Get(string path, string accept = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", accept);
        return request;
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body, string? origin)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    private static async Task IsProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        await Assert.That(response.StatusCode).IsEqualTo(status);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/problem+json");
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains($"\"status\":{(int)status}");
    }

    [Test]
    public async Task Onboarding_sends_browsers_to_setup_keeps_the_api_closed_and_the_first_password_wins()
    {
        await using var app = await new AppHarness().Onboarding().Start();
        using var browser = AuthClients.Client(app.Http.BaseAddress!);
        var page = await browser.SendAsync(Get("/", "text/html"));
        await Assert.That(page.StatusCode).IsEqualTo(HttpStatusCode.Redirect);
        await Assert.That(page.Headers.Location!.OriginalString).IsEqualTo("/setup");
        await Assert.That((await browser.SendAsync(Get("/login", "text/html"))).Headers.Location!.OriginalString).IsEqualTo("/setup");
        // Onboarding is not an open API: every API route and /metrics say how to set the password.
        foreach (var path in new[] { "/api/status", "/api/streams", "/metrics", "/api/health" })
        {
            var closed = await browser.SendAsync(Get(path));
            await IsProblem(closed, HttpStatusCode.Unauthorized);
            await Assert.That(await closed.Content.ReadAsStringAsync()).Contains("set the admin password first (page /setup, `lightnvr passwd`, or lightnvr-password.txt on the boot partition)");
        }
        var write = await browser.SendAsync(Json(HttpMethod.Post, "/api/streams", "{\"name\":\"x\",\"url\":\"rtsp://10.0.0.1/a\"}", null));
        await IsProblem(write, HttpStatusCode.Unauthorized);
        await Assert.That(File.Exists(app.StreamsPath)).IsFalse();
        // The setup page and its liveness still answer; a program is not sent to /setup but told what to do.
        await Assert.That((await browser.SendAsync(Get("/healthz"))).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await browser.SendAsync(Get("/setup", "text/html"))).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await IsProblem(await browser.SendAsync(Get("/")), HttpStatusCode.Unauthorized);

        var differ = await AuthClients.PostForm(browser, "/setup", new() { ["password"] = Password, ["confirm"] = Password + "x" });
        await Assert.That(differ.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(await differ.Content.ReadAsStringAsync()).Contains("The two passwords differ.");
        var shortOne = await AuthClients.PostForm(browser, "/setup", new() { ["password"] = "abc", ["confirm"] = "abc" });
        await Assert.That(await shortOne.Content.ReadAsStringAsync()).Contains("shorter than 8 characters");

        var set = await AuthClients.PostForm(browser, "/setup", new() { ["password"] = Password, ["confirm"] = Password });
        await Assert.That(set.StatusCode).IsEqualTo(HttpStatusCode.SeeOther);
        await Assert.That(set.Headers.Location!.OriginalString).IsEqualTo("/");
        await Assert.That((await browser.SendAsync(Get("/", "text/html"))).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // The window is closed: the page sends people to /login, and a second password changes nothing.
        using var other = AuthClients.Client(app.Http.BaseAddress!);
        await Assert.That((await other.SendAsync(Get("/setup", "text/html"))).Headers.Location!.OriginalString).IsEqualTo("/login");
        var again = await AuthClients.PostForm(other, "/setup", new() { ["password"] = "attacker-password", ["confirm"] = "attacker-password" });
        await Assert.That(again.StatusCode).IsEqualTo(HttpStatusCode.SeeOther);
        await Assert.That((await other.SendAsync(Get("/api/status"))).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        using var admin = app.AuthedHttp(Password);
        await Assert.That((await admin.GetAsync("/api/status")).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // Files: the hash and the session key are the owner's alone.
        await Assert.That(File.GetUnixFileMode(app.App.Services.GetRequiredService<PasswordStore>().Path)).IsEqualTo(OwnerRw);
        var key = app.App.Services.GetRequiredService<SessionCookie>().KeyPath;
        await Assert.That(File.GetUnixFileMode(key)).IsEqualTo(OwnerRw);
        await Assert.That(new FileInfo(key).Length).IsEqualTo(32);
    }

    [Test]
    public async Task A_cookie_session_signs_in_checks_the_origin_of_changes_and_signs_out()
    {
        await using var app = await new AppHarness().WithPassword(Password).Start();
        var origin = app.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);
        using var client = AuthClients.Client(app.Http.BaseAddress!);

        var toLogin = await client.SendAsync(Get("/", "text/html"));
        await Assert.That(toLogin.StatusCode).IsEqualTo(HttpStatusCode.Redirect);
        await Assert.That(toLogin.Headers.Location!.OriginalString).EndsWith("/login?return=%2F");
        var api = await client.SendAsync(Get("/api/status"));
        await IsProblem(api, HttpStatusCode.Unauthorized);
        await Assert.That(api.Headers.WwwAuthenticate.ToString()).Contains("Basic realm=\"LightNVR\"");

        var wrong = await AuthClients.PostLogin(client, "not-the-password");
        await Assert.That(wrong.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await wrong.Content.ReadAsStringAsync()).Contains("Wrong password.");
        await Assert.That(wrong.Headers.Contains("Set-Cookie")).IsFalse();

        var login = await AuthClients.PostLogin(client, Password, "/api/streams");
        await Assert.That(login.StatusCode).IsEqualTo(HttpStatusCode.SeeOther);
        await Assert.That(login.Headers.Location!.OriginalString).IsEqualTo("/api/streams");
        var cookie = string.Join(";", login.Headers.GetValues("Set-Cookie")).ToLowerInvariant();
        await Assert.That(cookie).Contains(SessionCookie.Name).And.Contains("httponly").And.Contains("samesite=strict");
        await Assert.That((await client.SendAsync(Get("/api/status"))).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await client.SendAsync(Get("/", "text/html"))).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // Changing calls with the cookie: only from this origin.
        const string camera = "{\"name\":\"porch\",\"url\":\"rtsp://127.0.0.9:554/live\"}";
        await IsProblem(await client.SendAsync(Json(HttpMethod.Post, "/api/streams", camera, null)), HttpStatusCode.Forbidden);
        await IsProblem(await client.SendAsync(Json(HttpMethod.Post, "/api/streams", camera, "http://evil.example")), HttpStatusCode.Forbidden);
        await Assert.That((await client.SendAsync(Json(HttpMethod.Post, "/api/streams", camera, origin))).StatusCode).IsEqualTo(HttpStatusCode.Created);
        // Basic clients hold no ambient credential: no Origin needed, but a foreign one is still refused.
        using var basic = app.AuthedHttp();
        await Assert.That((await basic.SendAsync(Json(HttpMethod.Delete, "/api/streams/porch", "", null))).StatusCode).IsEqualTo(HttpStatusCode.NoContent);
        await IsProblem(await basic.SendAsync(Json(HttpMethod.Delete, "/api/streams/porch", "", "http://evil.example")), HttpStatusCode.Forbidden);

        var logout = await AuthClients.PostForm(client, "/logout", []);
        await Assert.That(logout.StatusCode).IsEqualTo(HttpStatusCode.SeeOther);
        await Assert.That(logout.Headers.Location!.OriginalString).IsEqualTo("/login");
        await IsProblem(await client.SendAsync(Get("/api/status")), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_session_survives_a_restart_and_ends_when_the_password_changes()
    {
        await using var app = await new AppHarness().WithPassword(Password).Start();
        var cookies = new CookieContainer();
        using var client = AuthClients.Client(app.Http.BaseAddress!, cookies: cookies);
        await Assert.That((await AuthClients.PostLogin(client, Password)).StatusCode).IsEqualTo(HttpStatusCode.SeeOther);

        // A second appliance on the same state dir (as after a restart) accepts the cookie: the keys are on disk.
        using var second = new TempDir();
        var config = new AppConfig
        {
            StateDir = app.Config.StateDir, Web = new WebSettings { Listen = "127.0.0.1", Port = 0 },
            Go2rtc = new Go2rtcSettings { Enabled = false, ConfigDir = second.Path },
            Auth = new AuthSettings { PasswordFile = second.File("none.txt") },
        };
        await using (var restarted = AppHost.Build(new LoadedConfig(config, second.File("lightnvr.yaml"), [], false)))
        {
            await restarted.StartAsync();
            var address = restarted.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var again = AuthClients.Client(new Uri(address), cookies: cookies);
            await Assert.That((await again.SendAsync(Get("/api/status"))).StatusCode).IsEqualTo(HttpStatusCode.OK);
            await restarted.StopAsync();
        }

        // `lightnvr passwd` elsewhere: the running appliance ends the session at once.
        await Assert.That(new PasswordStore(app.Config.StateDir).Set("a-changed-password")).IsNull();
        await IsProblem(await client.SendAsync(Get("/api/status")), HttpStatusCode.Unauthorized);
        using var changed = app.AuthedHttp("a-changed-password");
        await Assert.That((await changed.GetAsync("/api/status")).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Five_failed_attempts_from_one_address_lock_it_out_of_form_and_basic_for_a_while()
    {
        await using var app = await new AppHarness().WithPassword(Password).Start();
        using var attacker = AuthClients.Client(app.Http.BaseAddress!, "127.0.0.23");
        for (var i = 0; i < 5; i++)
            await Assert.That((await AuthClients.PostLogin(attacker, "guess-" + i)).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        var locked = await AuthClients.PostLogin(attacker, Password);
        await Assert.That(locked.StatusCode).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(int.Parse(locked.Headers.GetValues("Retry-After").Single())).IsBetween(1, 60);
        await Assert.That(await locked.Content.ReadAsStringAsync()).Contains("Too many failed attempts");

        var basic = Get("/api/status");
        basic.Headers.Authorization = AppHarness.BasicHeader(Password);
        var lockedBasic = await attacker.SendAsync(basic);
        await IsProblem(lockedBasic, HttpStatusCode.TooManyRequests);
        await Assert.That(lockedBasic.Headers.Contains("Retry-After")).IsTrue();

        // Another address is not affected.
        using var neighbour = AuthClients.Client(app.Http.BaseAddress!, "127.0.0.24");
        var fine = Get("/api/status");
        fine.Headers.Authorization = AppHarness.BasicHeader(Password);
        await Assert.That((await neighbour.SendAsync(fine)).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Api_errors_are_problem_json_and_healthz_is_public_and_says_nothing_more()
    {
        await using var app = await new AppHarness().WithPassword(Password).Start();
        using var anonymous = AuthClients.Client(app.Http.BaseAddress!);
        var healthz = await anonymous.GetAsync("/healthz");
        await Assert.That(healthz.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await healthz.Content.ReadAsStringAsync()).IsEqualTo("{\"status\":\"ok\"}");
        await IsProblem(await anonymous.GetAsync("/api/no-such-thing"), HttpStatusCode.Unauthorized);

        using var admin = app.AuthedHttp();
        await IsProblem(await admin.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound);
        await IsProblem(await admin.GetAsync("/api/streams/no-such-camera"), HttpStatusCode.NotFound);
        await IsProblem(await admin.SendAsync(Json(HttpMethod.Post, "/api/streams", "{not json", null)), HttpStatusCode.BadRequest);
        await IsProblem(await admin.SendAsync(Json(HttpMethod.Post, "/api/streams", "{\"name\":\"x\"}", null)), HttpStatusCode.BadRequest);
        // An existing route with the wrong method: 405 with Allow, not "no such route".
        var put = await admin.SendAsync(Json(HttpMethod.Put, "/api/status", "{}", null));
        await IsProblem(put, HttpStatusCode.MethodNotAllowed);
        await Assert.That(put.Content.Headers.Allow.ToList()).Contains("GET");
    }
}
