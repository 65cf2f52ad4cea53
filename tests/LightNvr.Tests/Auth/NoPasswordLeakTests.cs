using System.Net;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

/// <summary>
/// The admin password, used every way it can be (boot file, form, Basic, wrong tries around it), never
/// shows in the appliance's log, in any answer, or in a file on disk.
/// </summary>
public class NoPasswordLeakTests
{
    private const string Sentinel = "Admin-Sentinel-Pw-73";

    [Test]
    public async Task The_admin_password_appears_in_no_log_line_answer_or_file()
    {
        using var dir = new TempDir();
        var port = Ports.Free();
        var bootFile = dir.Write("lightnvr-password.txt", Sentinel + "\n");
        var config = dir.Write("lightnvr.yaml", $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {dir.Path}/state\nlog:\n  level: trace\n" +
            $"go2rtc:\n  enabled: false\n  config_dir: {dir.Path}/go2rtc\nauth:\n  password_file: {bootFile}\n");
        var app = AppProcess.Start(config);
        var seen = new List<string>();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        try
        {
            using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
            await AppProcess.WaitForPage(probe, "/healthz");
            await Assert.That(File.Exists(bootFile)).IsFalse();

            using var client = AuthClients.Client(baseUri, "127.0.0.41");
            async Task Keep(Task<HttpResponseMessage> call)
            {
                var r = await call;
                seen.Add($"{(int)r.StatusCode} {r.Headers} {r.Content.Headers}\n{await r.Content.ReadAsStringAsync()}");
            }
            await Keep(AuthClients.PostLogin(client, Sentinel + "x", "/?password=" + Sentinel[..4]));
            await Keep(AuthClients.PostLogin(client, Sentinel));
            await Keep(client.GetAsync("/"));
            await Keep(client.GetAsync("/api/status"));
            await Keep(AuthClients.PostForm(client, "/setup", new() { ["password"] = Sentinel, ["confirm"] = Sentinel }));
            using var basic = AuthClients.Client(baseUri, "127.0.0.42");
            basic.DefaultRequestHeaders.Authorization = AppHarness.BasicHeader(Sentinel);
            await Keep(basic.GetAsync("/api/status"));
            await Keep(basic.GetAsync("/metrics"));
            basic.DefaultRequestHeaders.Authorization = AppHarness.BasicHeader(Sentinel + "y");
            await Keep(basic.GetAsync("/api/health"));
            await Assert.That(seen[1]).StartsWith("303");
            await Assert.That(seen[5]).StartsWith("200");
            await Assert.That(seen[7]).StartsWith("401");
        }
        finally
        {
            await app.DisposeAsync();
        }

        var log = app.Output;
        await Assert.That(log).Contains("admin password set from");
        await Assert.That(log).Contains("sign-in failed from 127.0.0.41");
        await Assert.That(log).DoesNotContain(Sentinel);
        foreach (var answer in seen) await Assert.That(answer).DoesNotContain(Sentinel);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dir.Path, "state"), "*", SearchOption.AllDirectories))
            await Assert.That(await File.ReadAllTextAsync(file)).DoesNotContain(Sentinel);
    }
}
