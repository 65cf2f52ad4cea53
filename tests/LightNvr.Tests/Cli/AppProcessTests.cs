using LightNvr.Go2rtc;
using System.Diagnostics;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Cli;

/// <summary>The appliance as a real process: exit codes, stderr, and what a person sees.</summary>
public class AppProcessTests
{
    private static string AppDll => Path.Combine(AppContext.BaseDirectory, "lightnvr.dll");

    internal static Process Start(string dll, params string[] args) => StartIn(null, dll, args);

    internal static Process StartIn(string? workingDirectory, string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    internal static async Task<(int Code, string Out, string Err)> Run(string dll, params string[] args)
    {
        using var p = Start(dll, args);
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await output, await error);
    }

    [Test]
    public async Task A_bad_config_without_a_last_good_copy_exits_78_with_the_errors_on_stderr()
    {
        using var dir = new TempDir();
        var path = dir.Write("lightnvr.yaml", "go2rtc:\n  api_prot: 1\n  webrtc:\n    ice_servers:\n      - urls: [ \"rtsp://user:secret@cam\" ]\n");
        var (code, _, err) = await Run(AppDll, "--config", path);
        await Assert.That(code).IsEqualTo(78);
        await Assert.That(err).Contains("go2rtc.api_prot: unknown key; did you mean `api_port`?");
        await Assert.That(err).Contains("go2rtc.webrtc.ice_servers[0].urls[0]");
        await Assert.That(err).DoesNotContain("secret");
    }

    [Test]
    public async Task A_bad_config_with_a_last_good_copy_runs_and_says_so_without_leaking_credentials()
    {
        using var dir = new TempDir();
        var port = FreePort();
        var path = dir.Write("lightnvr.yaml", $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {dir.Path}\ngo2rtc:\n  enabled: false\n");
        File.WriteAllText(path + ".last-good", File.ReadAllText(path));
        File.AppendAllText(path, "  webrtc:\n    ice_servers:\n      - urls: [ \"rtsp://user:secret@cam\" ]\n");

        Support.AuthClients.Provision(dir.Path);
        var app = AppProcess.Start(path);
        try
        {
            using var http = Support.AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            var page = await AppProcess.WaitForPage(http, "/");
            await Assert.That(page).Contains("running on the last valid copy");
            await Assert.That(page).Contains("go2rtc.webrtc.ice_servers[0].urls[0]");
            await Assert.That(page).DoesNotContain("secret");
            await Wait.Until(() => app.Output.Contains("running on the last valid copy"), TimeSpan.FromSeconds(10), "the log line about the last valid copy");
        }
        finally
        {
            await app.DisposeAsync();
        }
        var log = app.Output;
        await Assert.That(log).Contains("rtsp://***@cam");
        await Assert.That(log).DoesNotContain("secret");
    }

    [Test]
    public async Task The_working_directory_is_not_watched()
    {
        // Under systemd the working directory may be "/": a recursive watch of it would walk the disk.
        using var dir = new TempDir();
        for (var i = 0; i < 30; i++) Directory.CreateDirectory(Path.Combine(dir.Path, "cwd", $"d{i}"));
        var port = FreePort();
        var config = dir.Write("lightnvr.yaml", $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {dir.Path}\ngo2rtc:\n  enabled: false\n");
        await using var app = AppProcess.Start(config, workingDirectory: Path.Combine(dir.Path, "cwd"));
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await AppProcess.WaitForPage(http, "/healthz");
            // inotify watches of the process: one per watched directory (the camera list's only).
            var watches = Directory.GetFiles($"/proc/{app.Id}/fdinfo")
                .Sum(f => { try { return File.ReadLines(f).Count(l => l.StartsWith("inotify wd:")); } catch (IOException) { return 0; } });
            await Assert.That(watches).IsLessThanOrEqualTo(1);
        }
    }

    [Test]
    public async Task Check_config_and_version_verbs_work_from_the_command_line()
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.yaml", "web:\n  port: 99999\n");
        var (code, output, _) = await Run(AppDll, "check-config", bad);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(output).Contains("web.port: expected a port 0-65535, found 99999");
        var (vcode, version, _) = await Run(AppDll, "--version");
        await Assert.That(vcode).IsEqualTo(0);
        await Assert.That(version).Contains($"lightnvr {LightNvr.Config.BuildOptions.Version}");
        await Assert.That(version).Contains($"GO2RTC_API_PORT={LightNvr.Config.BuildOptions.Go2rtcApiPort}");
    }

    internal static int FreePort() => Ports.Free();
}
