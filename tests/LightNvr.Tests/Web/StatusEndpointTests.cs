using System.Net;
using System.Text.Json;
using LightNvr.Config;
using LightNvr.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LightNvr.Tests.Web;

public class StatusEndpointTests
{
    /// <summary>Runs the real host on a real Kestrel socket (127.0.0.1, port 0) for one test.</summary>
    internal sealed class RunningApp : IAsyncDisposable
    {
        public required WebApplication App { get; init; }
        public required HttpClient Http { get; init; }

        public static async Task<RunningApp> Start(LoadedConfig loaded)
        {
            loaded.Config.Web.Listen = "127.0.0.1";
            loaded.Config.Go2rtc.Enabled = false;
            loaded.Config.Go2rtc.ConfigDir = System.IO.Path.GetDirectoryName(loaded.Path)!;
            loaded.Config.StateDir = loaded.Config.Go2rtc.ConfigDir;
            loaded.Config.Web.Port = 0;
            AuthClients.Provision(loaded.Config.StateDir); // the API answers nobody until a password exists
            var app = AppHost.Build(loaded);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new RunningApp { App = app, Http = AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri(address) }) };
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    [Test]
    public async Task Api_status_reports_version_uptime_build_options_and_config_state()
    {
        using var dir = new TempDir();
        await using var app = await RunningApp.Start(new LoadedConfig(new AppConfig(), dir.File("lightnvr.yaml"), [], false));
        var response = await app.Http.GetAsync("/api/status");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("application/json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        await Assert.That(root.GetProperty("version").GetString()).IsEqualTo(LightNvr.Config.BuildOptions.Version);
        await Assert.That(root.GetProperty("uptime_seconds").GetDouble()).IsGreaterThanOrEqualTo(0);
        await Assert.That(root.GetProperty("build").GetProperty("go2rtc_api_port").GetInt32()).IsEqualTo(LightNvr.Config.BuildOptions.Go2rtcApiPort);
        await Assert.That(root.GetProperty("config").GetProperty("valid").GetBoolean()).IsTrue();
        await Assert.That(root.GetProperty("go2rtc").GetProperty("status").GetProperty("phase").GetString()).IsEqualTo("Disabled");
    }

    [Test]
    public async Task Status_page_shows_config_errors_without_credentials()
    {
        using var dir = new TempDir();
        var errors = new List<ConfigError>
        {
            new("lightnvr.yaml", 4, 14, "go2rtc.ice_servers[0].urls[0]", "expected a stun:, turn: or turns: URL, found 'rtsp://user:secret@host'"),
        };
        await using var app = await RunningApp.Start(new LoadedConfig(new AppConfig(), dir.File("lightnvr.yaml"), errors, true));
        var page = await app.Http.GetStringAsync("/");
        await Assert.That(page).Contains("running on the last valid copy");
        await Assert.That(page).Contains("go2rtc.ice_servers[0].urls[0]");
        await Assert.That(page).DoesNotContain("secret");
        var json = await app.Http.GetStringAsync("/api/status");
        await Assert.That(json).Contains("\"using_last_good\":true");
        await Assert.That(json).DoesNotContain("secret");
    }

    [Test]
    public async Task The_json_view_is_the_pages_view_signed_in_and_never_cached()
    {
        using var dir = new TempDir();
        var errors = new List<ConfigError> { new("lightnvr.yaml", 2, 7, "web.port", "expected a number, found 'eighty'") };
        await using var app = await RunningApp.Start(new LoadedConfig(new AppConfig(), dir.File("lightnvr.yaml"), errors, true));
        var response = await app.Http.GetAsync("/api/status/view");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Headers.CacheControl?.NoStore).IsTrue();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var view = json.RootElement;
        var phase = view.GetProperty("go2rtc").GetProperty("phase");
        await Assert.That(phase.GetProperty("word").GetString()).IsEqualTo("disabled");
        await Assert.That(phase.GetProperty("tone").GetString()).IsEqualTo("warn");
        await Assert.That(view.GetProperty("go2rtc").GetProperty("uptime").GetString()).IsEqualTo("—");
        await Assert.That(view.GetProperty("config").GetProperty("note").GetString()).IsEqualTo("running on the last valid copy");
        await Assert.That(view.GetProperty("board").GetProperty("last_press").GetString()).IsEqualTo("last: none");
        await Assert.That(view.GetProperty("cameras").GetArrayLength()).IsEqualTo(0);
        var page = await app.Http.GetStringAsync("/");
        await Assert.That(page).Contains("<span class=\"pill warn\" id=\"g-phase\">disabled</span>");
        await Assert.That(page).Contains("<span class=\"pill bad\">has errors</span> running on the last valid copy");
        using var anonymous = new HttpClient { BaseAddress = app.Http.BaseAddress };
        await Assert.That((await anonymous.GetAsync("/api/status/view")).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }
}
