using LightNvr.Go2rtc;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using LightNvr.Health;
using LightNvr.Tests.Support;
using LightNvr.Web;

namespace LightNvr.Tests.Web;

/// <summary>The status page's actions over HTTP, against the real appliance and go2rtc (stand-in or real).</summary>
[NotInParallel("go2rtc-lifecycle")]
public class WebActionsTests
{
    /// <summary>The one place this class starts the appliance (sign-in is added here once authentication lands).</summary>
    private static async Task<AppHarness> StartApp(Func<AppHarness, string>? streamsYaml = null, bool onboarding = false)
    {
        var app = new AppHarness();
        if (onboarding) app.Onboarding();
        if (streamsYaml is not null) await File.WriteAllTextAsync(app.StreamsPath, streamsYaml(app));
        await app.Start();
        await app.WaitReady();
        return app;
    }

    [Test]
    public async Task Restart_answers_once_go2rtc_is_back_with_its_new_pid_and_concurrent_callers_all_get_a_ready_one()
    {
        await using var app = await StartApp();
        var before = app.Supervisor.Status.Pid!.Value;
        // Sharing one restart among concurrent callers is the supervisor's (its tests prove it); here the
        // endpoint: every caller waits for a ready go2rtc, and each restart it caused is one manual entry.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.Http.PostAsync("/api/go2rtc/restart", null)));
        var pids = new List<int>();
        foreach (var a in answers)
        {
            await Assert.That(a.StatusCode).IsEqualTo(HttpStatusCode.OK);
            using var json = JsonDocument.Parse(await a.Content.ReadAsStringAsync());
            await Assert.That(json.RootElement.GetProperty("ready").GetBoolean()).IsTrue();
            pids.Add(json.RootElement.GetProperty("pid").GetInt32());
        }
        await Assert.That(pids).DoesNotContain(before);
        await Assert.That(app.Supervisor.Ledger.History.Entries.Count(e => e.Reason == RestartReason.Manual)).IsEqualTo(pids.Distinct().Count());
        var children = await Wait.Until(() => Task.FromResult(app.Go2rtcChildren().Where(c => c.State != 'Z').ToList() is { Count: 1 } one ? one : null),
            TimeSpan.FromSeconds(15), "exactly one go2rtc");
        await Assert.That(pids).Contains(children[0].Pid);
    }

    [Test]
    public async Task Reregister_answers_404_problem_for_unknown_names_and_re_registers_a_camera_with_its_sub_stream()
    {
        await using var app = await StartApp(a => $"""
            cameras:
              - name: cam1
                url: rtsp://127.0.0.1:{a.Config.Go2rtc.RtspPort}/main
                sub_url: rtsp://127.0.0.1:{a.Config.Go2rtc.RtspPort}/sub
            """);
        await app.WaitGo2rtcStreams(["cam1", "cam1_sub"]);
        await Wait.Until(() => Task.FromResult(app.Sync.Desired), TimeSpan.FromSeconds(15), "the desired streams");

        var missing = await app.Http.PostAsync("/api/streams/nope/reregister", null);
        await Assert.That(missing.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(missing.Content.Headers.ContentType!.MediaType).IsEqualTo("application/problem+json");
        await Assert.That(await missing.Content.ReadAsStringAsync()).Contains("nope");

        var ok = await app.Http.PostAsync("/api/streams/cam1/reregister", null);
        await Assert.That(ok.StatusCode).IsEqualTo(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        await Assert.That(json.RootElement.GetProperty("registered").GetBoolean()).IsTrue();
        await Assert.That(string.Join(",", json.RootElement.GetProperty("streams").EnumerateArray().Select(s => s.GetString()))).IsEqualTo("cam1,cam1_sub");
        await app.WaitGo2rtcStreams(["cam1", "cam1_sub"]);
    }

    [Test]
    public async Task Board_state_names_the_led_pattern_and_no_button_press_yet()
    {
        await using var app = await StartApp(onboarding: true);
        async Task<string> LedSays(HttpClient http, string pattern, string why) => await Wait.Until(async () =>
        {
            var body = await http.GetStringAsync("/api/board");
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("led").GetString() == pattern ? body : null;
        }, TimeSpan.FromSeconds(30), $"the LED to say {pattern} ({why})");
        // No password yet: the API answers nobody, so the board's state is read in the process itself.
        await Wait.Until(() => Task.FromResult(LightNvr.Board.BoardView.From(app.App.Services.GetRequiredService<LightNvr.Health.HealthLoop>().Snapshot, 0,
            app.App.Services.GetRequiredService<LightNvr.Board.PasswordPresence>().IsSet()).Led == "heartbeat" ? "" : null),
            TimeSpan.FromSeconds(30), "the LED to say heartbeat (no password yet: the box asks to be set up)");
        const string password = "board-test-password";
        await Assert.That(new LightNvr.Auth.PasswordStore(app.Config.StateDir).Set(password)).IsNull();
        using var authed = app.AuthedHttp(password);
        var text = await LedSays(authed, "solid", "go2rtc ready, no cameras, no errors, a password set");
        using var doc = JsonDocument.Parse(text);
        var board = doc.RootElement;
        await Assert.That(board.GetProperty("last_button_press").GetString()).IsEqualTo("none");
        await Assert.That(board.GetProperty("on_off_ms").GetArrayLength()).IsEqualTo(2);
    }

    private const string Sentinel = "S3NT1NEL";

    [Test]
    public async Task Diagnostics_bundle_holds_every_part_and_no_credential()
    {
        await using var app = await StartApp(a => $"""
            cameras:
              - name: cam1
                url: rtsp://127.0.0.1:{a.Config.Go2rtc.RtspPort}/main
                username: admin
                password: "{Sentinel}-camera#p@ss"
              - name: cam2
                url: rtsp://viewer:{Sentinel}-url-pw@127.0.0.1:{a.Config.Go2rtc.RtspPort}/live?token={Sentinel}-query
            """);
        await File.WriteAllTextAsync(app.ConfigPath, $"""
            web:
              port: 8080
            go2rtc:
              ice_servers:
                - urls: ["turn:turn.example.org:3478"]
                  username: relay
                  credential: "{Sentinel}-ice secret"
            """);
        await app.WaitGo2rtcStreams(["cam1", "cam2"]);
        // The health loop and the history recorder run on their own periods: wait for their first records.
        var history = app.App.Services.GetRequiredService<HealthHistory>();
        var health = app.App.Services.GetRequiredService<HealthLoop>();
        await Wait.Until(() => history.Events.Count > 0 && health.Snapshot.Go2rtc.Phase == LightNvr.Go2rtc.Go2rtcPhase.Ready,
            TimeSpan.FromSeconds(30), "a health snapshot of a ready go2rtc and a first history event");

        var response = await app.Http.GetAsync("/api/diagnostics");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("application/zip");
        await Assert.That(response.Content.Headers.ContentDisposition!.FileName!).Contains("lightnvr-diagnostics-");
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        await Assert.That(string.Join(",", zip.Entries.Select(e => e.FullName))).IsEqualTo(string.Join(",", Diagnostics.Entries));
        var texts = new Dictionary<string, string>();
        foreach (var e in zip.Entries)
        {
            using var reader = new StreamReader(e.Open());
            texts[e.FullName] = await reader.ReadToEndAsync();
            await Assert.That(texts[e.FullName].Contains(Sentinel, StringComparison.OrdinalIgnoreCase)).IsFalse()
                .Because($"{e.FullName} must not hold a credential:\n{texts[e.FullName]}");
        }
        await Assert.That(texts["version.txt"]).Contains(LightNvr.Config.BuildOptions.Version);
        await Assert.That(texts["lightnvr.yaml"]).Contains("credential: ***");
        await Assert.That(texts["go2rtc.generated.yaml"]).Contains("cam1");
        await Assert.That(texts["go2rtc.generated.yaml"]).Contains("***@127.0.0.1");
        await Assert.That(texts["cameras.json"]).Contains("\"password_set\":true");
        await Assert.That(texts["go2rtc.log"]).Contains("listen");
        await Assert.That(texts["appliance.log"]).Contains("go2rtc ready");
        using var healthJson = JsonDocument.Parse(texts["health.json"]);
        await Assert.That(healthJson.RootElement.GetProperty("history").GetArrayLength()).IsGreaterThan(0);
        await Assert.That(healthJson.RootElement.GetProperty("current").GetProperty("go2rtc").GetProperty("phase").GetString()).IsEqualTo("Ready");
    }

    [Test]
    public async Task Scrub_masks_secret_yaml_values_quoted_or_not_and_url_credentials()
    {
        var text = $"""
            password: "{Sentinel} with spaces"
              - token: '{Sentinel}'
            credential: {Sentinel}
            url: rtsp://u:{Sentinel}@cam/x
            name: keep-me
            """;
        var clean = Diagnostics.Scrub(text);
        await Assert.That(clean).DoesNotContain(Sentinel);
        await Assert.That(clean).Contains("name: keep-me");
        await Assert.That(clean).Contains("rtsp://***@cam/x");
    }
}
