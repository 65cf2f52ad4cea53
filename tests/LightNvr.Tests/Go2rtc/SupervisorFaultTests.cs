using System.Net;
using System.Net.Sockets;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Go2rtc;

/// <summary>Bad input and faults the supervisor must survive, each against a real process.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class SupervisorFaultTests
{
    private static SupervisorOptions Env(params (string Key, string Value)[] pairs) => new()
    {
        LocateRetry = TimeSpan.FromMilliseconds(300),
        ExtraEnvironment = pairs.ToDictionary(p => p.Key, p => p.Value),
    };

    [Test]
    public async Task A_port_already_in_use_is_reported_with_its_owner_and_nothing_is_spawned()
    {
        await using var h = new SupervisorHarness();
        using var squatter = new TcpListener(IPAddress.Loopback, h.Config.Go2rtc.ApiPort);
        squatter.Start();
        await h.Start();
        var status = await h.WaitFor(s => s.Phase == Go2rtcPhase.PortConflict, "a port conflict");
        await Assert.That(status.Message).Contains($"API port {h.Config.Go2rtc.ApiPort}/tcp is in use by PID {Environment.ProcessId}");
        await Assert.That(h.Go2rtcChildren()).IsEmpty();
        squatter.Stop(); // freed: the next attempt (after the backoff) starts go2rtc
        await h.WaitReady(seconds: 20);
    }

    [Test]
    public async Task A_bind_failure_go2rtc_survives_is_caught_from_its_log_and_it_is_stopped()
    {
        // go2rtc keeps running without its RTSP server when the port is taken; here the person's own
        // go2rtc.yaml moves RTSP to a taken port, which the supervisor cannot check before the spawn.
        await using var h = new SupervisorHarness();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        Directory.CreateDirectory(h.ConfigDir);
        File.WriteAllText(Path.Combine(h.ConfigDir, "go2rtc.yaml"), $"rtsp:\n  listen: 127.0.0.1:{taken}\n");
        await h.Start();
        var status = await h.WaitFor(s => s.Message.Contains($"port {taken} is in use by PID {Environment.ProcessId}"), "the bind failure");
        await Assert.That(status.Message).Contains("[rtsp]");
        await Wait.Until(() => h.Go2rtcChildren().All(p => p.State == 'Z') , TimeSpan.FromSeconds(5), "the crippled go2rtc to be stopped");
        // Three failed starts with the person's file, one good start without it: it is moved aside.
        var ready = await h.WaitReady(seconds: 30);
        await Assert.That(ready.PersonConfigNote!).Contains("moved to");
        await Assert.That(Directory.GetFiles(h.ConfigDir, "go2rtc.yaml.rejected-*")).Count().IsEqualTo(1);
    }

    [Test]
    public async Task A_crash_at_start_backs_off_one_then_two_seconds()
    {
        Go2rtcBinary.RequireStandIn();
        await using var h = new SupervisorHarness();
        await h.Start(Env(("STANDIN_CRASH_AT_START", "1")));
        var first = await h.WaitFor(s => s.Phase == Go2rtcPhase.Backoff, "the first backoff");
        await Assert.That(first.Message).Contains("exited during start-up (exit code 2)");
        await Assert.That(first.NextAttemptAt!.Value - DateTimeOffset.UtcNow).IsLessThanOrEqualTo(TimeSpan.FromSeconds(1.1));
        await h.WaitFor(s => s.Phase == Go2rtcPhase.Starting, "the second attempt");
        var second = await h.WaitFor(s => s.Phase == Go2rtcPhase.Backoff && s.NextAttemptAt is not null, "the second backoff");
        await Assert.That(second.NextAttemptAt!.Value - DateTimeOffset.UtcNow).IsGreaterThan(TimeSpan.FromSeconds(1.2));
        await Assert.That(h.Supervisor.RecentLog().Any(l => l.StartsWith("panic:"))).IsTrue();
    }

    [Test]
    public async Task A_crash_after_running_a_while_is_respawned()
    {
        Go2rtcBinary.RequireStandIn();
        await using var h = new SupervisorHarness();
        await h.Start(Env(("STANDIN_CRASH_AFTER_MS", "1500")));
        var first = await h.WaitReady();
        var second = await h.WaitReady(first.Generation, seconds: 20);
        await Assert.That(second.Pid).IsNotEqualTo(first.Pid);
        await Assert.That(second.LastExit!).Contains("exit code 2");
    }

    [Test]
    public async Task A_person_yaml_with_a_syntax_error_is_rejected_with_line_and_column()
    {
        await using var h = new SupervisorHarness();
        Directory.CreateDirectory(h.ConfigDir);
        var person = Path.Combine(h.ConfigDir, "go2rtc.yaml");
        File.WriteAllText(person, "log:\n  level: [debug\n");
        await h.Start();
        var status = await h.WaitReady();
        await Assert.That(status.PersonConfigNote!).StartsWith($"not used, it does not parse: {person}:3:");
        await Assert.That(File.ReadAllText(person)).IsEqualTo("log:\n  level: [debug\n"); // never rewritten
    }

    [Test]
    public async Task A_person_yaml_that_makes_the_parser_throw_anything_is_set_aside_with_line_and_column()
    {
        // Two unclosed flow collections: YamlDotNet throws an InvalidOperationException here, not a YamlException.
        await using var h = new SupervisorHarness();
        Directory.CreateDirectory(h.ConfigDir);
        var person = Path.Combine(h.ConfigDir, "go2rtc.yaml");
        const string text = "log:\n  level: [debug\n\nwebrtc: {\n";
        File.WriteAllText(person, text);
        await h.Start();
        var status = await h.WaitReady();
        await Assert.That(status.PersonConfigNote!).Matches($@"^not used, it does not parse: {System.Text.RegularExpressions.Regex.Escape(person)}:\d+:\d+: ");
        await Assert.That(h.Log.Text).DoesNotContain("Operation is not valid due to the current state of the object; next attempt");
        await Assert.That(File.ReadAllText(person)).IsEqualTo(text);
    }

    [Test]
    public async Task A_read_only_config_dir_is_reported_and_retried()
    {
        await using var h = new SupervisorHarness();
        Directory.CreateDirectory(h.ConfigDir);
        if (!Mount("--bind", h.ConfigDir, h.ConfigDir) || !Mount("-o", "remount,bind,ro", h.ConfigDir))
            Skip.Test("needs root with mount rights to make a read-only directory (root ignores permission bits)");
        try
        {
            await h.Start();
            var status = await h.WaitFor(s => s.Message.StartsWith("cannot write go2rtc's config"), "the write failure");
            await Assert.That(status.Message).Contains("the file system is read-only");
            await Assert.That(h.Go2rtcChildren()).IsEmpty();
        }
        finally
        {
            Mount("-u", h.ConfigDir);
        }
        await h.WaitReady(seconds: 20); // writable again: the retry starts it
    }

    [Test]
    public async Task A_hundred_megabytes_of_output_keep_the_disk_bounded_and_the_api_alive()
    {
        Go2rtcBinary.RequireStandIn();
        await using var h = new SupervisorHarness();
        var sup = await h.Start(Env(("STANDIN_LOG_FLOOD_BYTES", (100 * 1024 * 1024).ToString())));
        await h.WaitReady();
        var logs = () => Directory.GetFiles(h.ConfigDir, "go2rtc.log*").Sum(f => new FileInfo(f).Length);
        // Wait until the flood went through: its end marker arrived, or the reader caught up and said how
        // many lines it dropped (a flood faster than the log disk is shed, never queued without bound).
        await Wait.Until(() => sup.RecentLog(50).Any(l => l.Contains("flood done") || l.Contains("output lines dropped")),
            TimeSpan.FromSeconds(120), "the flood to be drained");
        Console.WriteLine(string.Join("\n", sup.RecentLog(50).Where(l => l.Contains("dropped") || l.Contains("flood done"))));
        await Assert.That(logs()).IsLessThanOrEqualTo(3L * 1024 * 1024 + 64 * 1024);
        await Assert.That(await sup.Api.GetVersionAsync(TimeSpan.FromSeconds(2), CancellationToken.None)).IsNotNull();
        await Assert.That(sup.Status.Phase).IsEqualTo(Go2rtcPhase.Ready);
    }

    [Test]
    public async Task An_unexpected_error_during_a_start_never_ends_the_supervisor()
    {
        await using var h = new SupervisorHarness();
        File.WriteAllText(h.ConfigDir, "a file where the config directory should be");
        var sup = await h.Start();
        var status = await h.WaitFor(s => s.Message.StartsWith("go2rtc could not be started"), "the start failure");
        await Assert.That(sup.ExecuteTask!.IsCompleted).IsFalse();
        File.Delete(h.ConfigDir); // fixed: the next attempt after the backoff starts go2rtc
        await h.WaitReady(seconds: 20);
    }

    [Test]
    public async Task A_missing_binary_is_retried_until_a_person_installs_it()
    {
        await using var h = new SupervisorHarness(binary: "/nonexistent-dir/go2rtc");
        if (BinaryLocator.Resolve("/nonexistent-dir/go2rtc") is not null) Skip.Test("a go2rtc is installed on this machine");
        var installed = Path.Combine(h.Dir.Path, "bin", "go2rtc");
        h.Config.Go2rtc.Binary = installed;
        await h.Start();
        var missing = await h.WaitFor(s => s.Phase == Go2rtcPhase.BinaryProblem, "the missing binary");
        await Assert.That(missing.Message).StartsWith($"go2rtc not found at {installed}, ");
        Directory.CreateDirectory(Path.GetDirectoryName(installed)!);
        File.CreateSymbolicLink(installed, Go2rtcBinary.Path);
        await h.WaitReady(seconds: 20);
    }

    private static bool Mount(params string[] args)
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(args[0] == "-u" ? "umount" : "mount")
            {
                ArgumentList = { }, RedirectStandardError = true, UseShellExecute = false,
            }.WithArgs(args[0] == "-u" ? args[1..] : args))!;
            p.WaitForExit(10_000);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

internal static class StartInfoExtensions
{
    public static System.Diagnostics.ProcessStartInfo WithArgs(this System.Diagnostics.ProcessStartInfo info, string[] args)
    {
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }
}
