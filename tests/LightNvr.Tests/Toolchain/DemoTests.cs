using System.Net;
using System.Text.RegularExpressions;
using LightNvr.Posix;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Toolchain;

/// <summary>
/// `make demo` as a person runs it: the page says it runs the stand-in, both simulated cameras have
/// thumbnails, a camera's /webrtc/ link plays in a real browser, and the whole thing stops on one
/// SIGTERM to its process group, the stand-in included.
/// </summary>
[NotInParallel("webrtc")]
public partial class DemoTests
{
    [Test]
    [Timeout(240_000)]
    public async Task Make_demo_shows_the_stand_in_two_thumbnails_and_a_playing_webrtc_link_then_stops_whole(CancellationToken cancel)
    {
        Programs.RequirePublishedX64();
        if (!File.Exists(Go2rtcBinary.StandIn)) Skip.Test($"{Go2rtcBinary.StandIn} not built: run `make standin` (make test does)");
        using var dir = new TempDir();
        var port = Ports.Free();
        var demoDir = Path.Combine(dir.Path, "demo");
        // setsid: the demo gets its own process group, as in a terminal where Ctrl+C goes to the group.
        await using var demo = new Programs.Running(Programs.Info("setsid",
            ["make", "-s", "-C", Repo.Root, "-o", "demo-deps", "-o", "publish-x64", "-o", "standin", "demo", $"DEMO_PORT={port}", $"DEMO_DIR={demoDir}"]));
        var group = demo.Process.Id;

        var password = await Wait.Until(() => Task.FromResult(SignInLine().Match(demo.Output) is { Success: true } m ? m.Groups[1].Value : null),
            TimeSpan.FromSeconds(60), "the demo's sign-in line");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = AppHarness.BasicHeader(password);

        var page = await AppProcess.WaitForPage(http, "/", p => p.Contains("id=\"standin\">demo: go2rtc stand-in"), seconds: 60);
        await Assert.That(page).Contains("front_door");
        await Assert.That(page).Contains("backyard");
        await Assert.That(await http.GetStringAsync("/api/status", cancel)).Contains("\"stand_in\":true");
        foreach (var camera in new[] { "front_door", "backyard" })
        {
            var jpeg = await Wait.Until(async () =>
            {
                using var r = await http.GetAsync($"/api/streams/{camera}/frame.jpeg", cancel);
                var body = await r.Content.ReadAsByteArrayAsync(cancel);
                return r.StatusCode == HttpStatusCode.OK && r.Content.Headers.ContentType?.MediaType == "image/jpeg" ? body : null;
            }, TimeSpan.FromSeconds(60), $"a thumbnail of {camera}");
            await Assert.That(jpeg[0] == 0xFF && jpeg[1] == 0xD8).IsTrue();
        }

        await using (var browser = await Browser.Launch())
        {
            var tab = await browser.NewPage();
            await AuthClients.SignIn(tab, http.BaseAddress!.ToString().TrimEnd('/'), password);
            var response = await tab.GotoAsync($"{http.BaseAddress}webrtc/front_door");
            await Assert.That(response!.Status).IsEqualTo(200);
            await tab.WaitForFunctionAsync("() => window.lightnvr && window.lightnvr.state === 'playing'", null, new() { Timeout = 60_000 });
        }

        Mono.Unix.Native.Syscall.kill(-group, Mono.Unix.Native.Signum.SIGTERM);
        await Wait.Until(() => !InGroup(group).Any() && !StandInsOf(demoDir).Any(), TimeSpan.FromSeconds(30),
            $"the demo's processes to end (left: {string.Join(", ", InGroup(group).Concat(StandInsOf(demoDir)))})");
        await Assert.That(demo.Output).DoesNotContain("Unhandled exception");
    }

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : 0).Where(pid => pid > 0);

    private static IEnumerable<int> InGroup(int group) =>
        Pids().Where(pid => ProcFs.ReadStat(pid) is { State: not 'Z' } s && s.ProcessGroup == group);

    /// <summary>The stand-in runs in a process group of its own (the appliance spawns it so): found by its config dir.</summary>
    private static IEnumerable<int> StandInsOf(string demoDir) =>
        Pids().Where(pid => ProcFs.ExePath(pid) == Go2rtcBinary.StandIn && CommandLine(pid).Contains(demoDir, StringComparison.Ordinal));

    private static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
    }

    [GeneratedRegex(@"sign in as admin / (\S+)")]
    private static partial Regex SignInLine();
}
