using System.Diagnostics;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Cli;

/// <summary>The make variables reach the binary: a separate build with non-default options shows them.</summary>
public class BuildOptionsTests
{
    [Test]
    [Timeout(300_000)]
    public async Task A_build_with_non_default_options_reports_them_and_says_go2rtc_was_left_out(CancellationToken cancel)
    {
        using var dir = new TempDir();
        var build = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "build", Repo.PathOf("src", "LightNvr", "LightNvr.csproj"), "-c", "Release", "--nologo", "-v", "q",
                     "--artifacts-path", dir.Path, "-p:GO2RTC_API_PORT=11984", "-p:ENABLE_GO2RTC=OFF",
                     "-p:GO2RTC_CONFIG_DIR=/srv/go2rtc", "-p:GO2RTC_BINARY_PATH=/opt/go2rtc/go2rtc",
                 })
            build.ArgumentList.Add(a);
        using (var p = Process.Start(build)!)
        {
            var output = p.StandardOutput.ReadToEndAsync(cancel);
            var error = p.StandardError.ReadToEndAsync(cancel);
            await p.WaitForExitAsync(cancel);
            await Assert.That(p.ExitCode).IsEqualTo(0).Because(await output + await error);
        }
        var dll = Directory.GetFiles(dir.Path, "lightnvr.dll", SearchOption.AllDirectories).Single(f => f.Contains("/bin/"));

        var (code, version, _) = await AppProcessTests.Run(dll, "--version");
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(version).Contains("GO2RTC_API_PORT=11984");
        await Assert.That(version).Contains("ENABLE_GO2RTC=OFF");
        await Assert.That(version).Contains("GO2RTC_CONFIG_DIR=/srv/go2rtc");
        await Assert.That(version).Contains("GO2RTC_BINARY_PATH=/opt/go2rtc/go2rtc");

        // The options are the runtime defaults, and the status page says go2rtc was left out.
        var port = AppProcessTests.FreePort();
        var config = Path.Combine(dir.Path, "lightnvr.yaml");
        File.WriteAllText(config, $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {dir.Path}\n");
        AuthClients.Provision(dir.Path);
        await using var app = AppProcess.Start(config, dll);
        {
            using var http = AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            var page = await AppProcess.WaitForPage(http, "/");
            await Assert.That(page).Contains("go2rtc support was left out of this build");
            var status = await http.GetStringAsync("/api/status", cancel);
            await Assert.That(status).Contains("\"go2rtc_api_port\":11984");
        }
    }
}
