using System.Net;
using System.Text;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Streams;

/// <summary>
/// A sentinel password goes into the camera list; it may reach go2rtc (which needs it) and files only
/// the owner can read, and nothing else: no log line, page, API answer, error message or go2rtc log.
/// </summary>
[NotInParallel("go2rtc-lifecycle")]
public class CredentialLeakTests
{
    private const string Sentinel = "Sentinel-Pw-91";

    [Test]
    public async Task The_sentinel_password_appears_nowhere_a_person_or_the_lan_can_read()
    {
        using var dir = new TempDir();
        var webPort = Ports.Free();
        var apiPort = Ports.Free();
        var go2rtcDir = Path.Combine(dir.Path, "go2rtc");
        var config = dir.Write("lightnvr.yaml", $"web:\n  listen: 127.0.0.1\n  port: {webPort}\nstate_dir: {dir.Path}\ngo2rtc:\n  binary: {Go2rtcBinary.Path}\n" +
            $"  config_dir: {go2rtcDir}\n  api_port: {apiPort}\n  rtsp_port: {Ports.Free()}\n  webrtc_port: {Ports.Free()}\n");
        // An unreachable camera: go2rtc will log its source, credentials included, when asked for a frame.
        dir.Write("streams.yaml", $"cameras:\n  - name: yard\n    url: rtsp://127.0.0.1:1/live\n    username: admin\n    password: {Sentinel}\n");
        File.SetUnixFileMode(dir.File("streams.yaml"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AuthClients.Provision(dir.Path);
        var app = AppProcess.Start(config);
        using var http = AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(10) });
        var seen = new List<string>();
        try
        {
            await AppProcess.WaitForPage(http, "/api/streams", text => text.Contains("\"state\":\"registered\""));

            // Make go2rtc log the failing source (go2rtc prints url=rtsp://admin:<password>@…).
            using (var go2rtc = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
                await go2rtc.GetAsync($"http://127.0.0.1:{apiPort}/api/frame.jpeg?src=yard");
            await Wait.Until(async () => (await http.GetStringAsync("/")).Contains("producer.go") ? "" : null,
                TimeSpan.FromSeconds(10), "go2rtc's producer error on the status page");

            // An API error about credentials must not echo them either.
            var refused = await http.PostAsync("/api/streams", new StringContent(
                $"{{\"name\":\"dup\",\"url\":\"rtsp://admin:{Sentinel}@127.0.0.9/a\",\"username\":\"admin\",\"password\":\"{Sentinel}\"}}",
                Encoding.UTF8, "application/json"));
            await Assert.That(refused.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
            seen.Add(await refused.Content.ReadAsStringAsync());
            foreach (var path in new[] { "/", "/api/status", "/api/streams", "/api/streams/yard" })
                seen.Add(await http.GetStringAsync(path));
        }
        finally
        {
            await app.DisposeAsync();
        }

        var log = app.Output;
        await Assert.That(log).Contains("camera list loaded");
        await Assert.That(log).DoesNotContain(Sentinel);
        foreach (var answer in seen) await Assert.That(answer).DoesNotContain(Sentinel);
        var page = seen[1];
        await Assert.That(page).Contains("rtsp://***@127.0.0.1:1/live"); // the line is shown, redacted
        var go2rtcLog = string.Concat(Directory.GetFiles(go2rtcDir, "go2rtc.log*").Select(File.ReadAllText));
        await Assert.That(go2rtcLog).Contains("producer.go");
        await Assert.That(go2rtcLog).DoesNotContain(Sentinel);
        // Files that must hold it (go2rtc's config, the camera list) are readable by the owner only.
        foreach (var file in Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories))
        {
            if (!File.ReadAllText(file).Contains(Sentinel)) continue;
            await Assert.That(File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).IsEqualTo((UnixFileMode)0)
                .Because(file);
        }
    }
}
