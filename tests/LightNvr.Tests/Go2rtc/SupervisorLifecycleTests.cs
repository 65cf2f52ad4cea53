using System.Diagnostics;
using LightNvr.Go2rtc;
using LightNvr.Posix;
using LightNvr.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Tests.Go2rtc;

/// <summary>The supervisor against a real process: start, crash, hang, restart storms, stop.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class SupervisorLifecycleTests
{
    [Test]
    public async Task Starts_go2rtc_ready_with_its_version_pid_config_log_and_pid_file()
    {
        await using var h = new SupervisorHarness();
        var sup = await h.Start();
        var status = await h.WaitReady();
        await Assert.That(status.Version).IsNotNull();
        await Assert.That(status.Pid).IsNotNull();
        await Assert.That(new ProcessIdentity(status.Pid!.Value, ProcFs.StartTime(status.Pid.Value)!.Value).IsAlive()).IsTrue();
        Console.WriteLine($"spawn → ready: {status.StartupMs} ms");

        // The generated config: API and RTSP on loopback only, mode 0600, read back as YAML.
        var generated = Path.Combine(h.ConfigDir, GeneratedConfig.FileName);
        await Assert.That(File.GetUnixFileMode(generated)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(generated)));
        var api = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["api"];
        await Assert.That(((YamlScalarNode)api["listen"]).Value).IsEqualTo($"127.0.0.1:{h.Config.Go2rtc.ApiPort}");
        // The person's example file was created once, commented.
        await Assert.That(File.ReadAllText(Path.Combine(h.ConfigDir, "go2rtc.yaml"))).Contains("managed by the appliance");
        // go2rtc really listens on loopback only, owned by that PID.
        await Assert.That(ProcFs.OwnsListeningTcpPort(status.Pid.Value, h.Config.Go2rtc.ApiPort)).IsTrue();
        // Its output reached the log file and the ring.
        await Assert.That(sup.RecentLog().Any(l => l.Contains("[api] listen"))).IsTrue();
        await Assert.That(File.ReadAllText(Path.Combine(h.ConfigDir, "go2rtc.log"))).Contains("[api] listen");
        await Assert.That(File.ReadAllText(sup.PidPath)).StartsWith($"{status.Pid} ");

        await h.Stop();
        await Assert.That(h.Go2rtcChildren()).IsEmpty();
        await Assert.That(File.Exists(sup.PidPath)).IsFalse();
        await Assert.That(ProcFs.IsTcpPortListening(h.Config.Go2rtc.ApiPort)).IsFalse();
    }

    [Test]
    public async Task Kill_minus_9_is_seen_at_once_and_go2rtc_is_respawned_without_a_zombie()
    {
        await using var h = new SupervisorHarness();
        await h.Start();
        var first = await h.WaitReady();
        var firstIdentity = ProcessIdentity.Capture(first.Pid!.Value)!.Value;
        var watch = Stopwatch.StartNew();
        Mono.Unix.Native.Syscall.kill(first.Pid!.Value, Mono.Unix.Native.Signum.SIGKILL);
        var second = await h.WaitReady(first.Generation);
        Console.WriteLine($"kill -9 → respawned and ready: {watch.ElapsedMilliseconds} ms");
        await Assert.That(second.Pid).IsNotEqualTo(first.Pid);
        await Assert.That(second.LastExit!).Contains("signal 9 (SIGKILL)");
        await Assert.That(firstIdentity.IsAlive()).IsFalse();
        await Assert.That(h.Go2rtcChildren().Count(p => p.State == 'Z')).IsEqualTo(0);
        await Assert.That(h.Go2rtcChildren().Count).IsEqualTo(1);
    }

    [Test]
    public async Task A_stopped_go2rtc_is_still_stopped_promptly_by_sigkill()
    {
        await using var h = new SupervisorHarness();
        var sup = await h.Start(new SupervisorOptions { StopGrace = TimeSpan.FromSeconds(3) });
        var first = await h.WaitReady();
        Mono.Unix.Native.Syscall.kill(first.Pid!.Value, Mono.Unix.Native.Signum.SIGSTOP);
        await Wait.Until(() => ProcFs.State(first.Pid.Value) == 'T', TimeSpan.FromSeconds(5), "go2rtc to be stopped");
        var watch = Stopwatch.StartNew();
        await Assert.That(await sup.RequestRestart(LightNvr.Go2rtc.RestartReason.Manual)).IsTrue();
        Console.WriteLine($"SIGSTOPped go2rtc → restarted and ready: {watch.ElapsedMilliseconds} ms");
        await Assert.That(sup.Status.Pid).IsNotEqualTo(first.Pid);
        await Assert.That(h.Go2rtcChildren().Select(p => p.Pid)).DoesNotContain(first.Pid.Value);
        await Assert.That(h.Log.Text).Contains("is stopped (SIGSTOP): SIGKILL without waiting"); // no grace period wasted
    }

    [Test]
    public async Task Fifty_concurrent_restarts_share_one_restart_and_leave_exactly_one_go2rtc()
    {
        await using var h = new SupervisorHarness();
        var sup = await h.Start();
        var first = await h.WaitReady();
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => sup.RequestRestart(LightNvr.Go2rtc.RestartReason.Manual))));
        await Assert.That(results.All(r => r)).IsTrue();
        var status = await h.WaitReady(first.Generation);
        await Assert.That(status.Restarts).IsLessThanOrEqualTo(2); // 50 callers, at most two back-to-back restarts
        var children = h.Go2rtcChildren();
        Console.WriteLine($"go2rtc processes after 50 concurrent restarts: {children.Count(p => p.State != 'Z')}, zombies: {children.Count(p => p.State == 'Z')}");
        await Assert.That(children.Count(p => p.State != 'Z')).IsEqualTo(1);
        await Assert.That(children.Count(p => p.State == 'Z')).IsEqualTo(0);
        await Assert.That(children.Single().Pid).IsEqualTo(status.Pid!.Value);
    }

    [Test]
    public async Task Stopping_during_a_start_wins_cleanly()
    {
        await using var h = new SupervisorHarness();
        // The start is held open in its last step (stream registration) until the stop arrives, so the
        // stop really lands during a start however fast go2rtc comes up on this machine.
        var inStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sup = h.Create();
        sup.AddReadyHook(async (_, stop) => { inStart.TrySetResult(); await Task.Delay(Timeout.Infinite, stop); });
        await h.StartCreated();
        await inStart.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.That(sup.Status.Phase).IsEqualTo(Go2rtcPhase.Starting);
        await Assert.That(sup.Status.Pid).IsNotNull();
        await h.Stop();
        await Assert.That(sup.Status.Phase).IsEqualTo(Go2rtcPhase.Stopped);
        await Assert.That(h.Go2rtcChildren()).IsEmpty();
    }

    [Test]
    public async Task A_go2rtc_left_behind_by_a_sigkilled_appliance_is_stopped_at_the_next_start()
    {
        await using var h = new SupervisorHarness();
        var webPort = Ports.Free();
        var configPath = h.AppConfigFile(webPort, h.Config.Go2rtc.Binary);
        // The real appliance, as its own process, starts go2rtc ...
        AuthClients.Provision(h.Config.StateDir);
        await using var app = AppProcess.Start(configPath);
        using var http = AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") });
        var json = await AppProcess.WaitForPage(http, "/api/status", text => text.Contains("\"phase\":\"Ready\""));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var pid = doc.RootElement.GetProperty("go2rtc").GetProperty("status").GetProperty("pid").GetInt32();
        var leftover = ProcessIdentity.Capture(pid)!.Value;
        // ... and is SIGKILLed: go2rtc survives it, orphaned, holding its ports.
        app.Process.Kill();
        await app.Process.WaitForExitAsync();
        await Assert.That(leftover.IsAlive()).IsTrue();

        await h.Start();
        await Wait.Until(() => !leftover.IsAlive(), TimeSpan.FromSeconds(10), "the leftover go2rtc to be stopped");
        var status = await h.WaitReady();
        await Assert.That(status.Pid).IsNotEqualTo(pid);
        await Assert.That(h.Log.Text).Contains("left behind");
    }

    [Test]
    public async Task A_stale_pid_file_naming_an_unrelated_process_is_never_signalled()
    {
        await using var h = new SupervisorHarness();
        using var bystander = SpawnedProcess.Spawn(new SpawnRequest
        {
            ExecutablePath = "/bin/sleep", Arguments = ["60"], WorkingDirectory = "/",
        });
        var sup = h.Create();
        // PID reuse: the right PID with another start time; then the right PID and start time, but another
        // process group or another boot.
        var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        File.WriteAllText(sup.PidPath, $"{bystander.Pid} {bystander.StartTime + 7} {bystander.Pid} {boot}\n{Go2rtcBinary.Path}\n");
        await h.StartCreated();
        await h.WaitReady();
        await Assert.That(bystander.Exited.IsCompleted).IsFalse();
        await h.Stop();
        foreach (var line in new[] { $"{bystander.Pid} {bystander.StartTime} {bystander.Pid + 1} {boot}", $"{bystander.Pid} {bystander.StartTime} {bystander.Pid} 00000000-0000-0000-0000-000000000000" })
        {
            File.WriteAllText(sup.PidPath, $"{line}\n{Go2rtcBinary.Path}\n");
            h.Create();
            await h.StartCreated();
            await h.WaitReady();
            await h.Stop();
        }
        await Assert.That(bystander.Exited.IsCompleted).IsFalse();
        await Assert.That(ProcFs.State(bystander.Pid)).IsNotEqualTo('Z');
        bystander.Signal(9);
    }

    [Test]
    public async Task An_in_place_api_restart_keeps_the_pid_and_runs_the_ready_hooks_again()
    {
        await using var h = new SupervisorHarness();
        var sup = h.Create();
        var generations = new List<int>();
        sup.AddReadyHook((g, _) => { lock (generations) generations.Add(g); return Task.CompletedTask; });
        await h.StartCreated();
        var first = await h.WaitReady();
        using var http = new HttpClient();
        try { await http.PostAsync($"{sup.Api.BaseUrl}/api/restart", null); } catch (HttpRequestException) { /* the reply races the exec */ }
        var second = await h.WaitReady(first.Generation);
        await Assert.That(second.Pid).IsEqualTo(first.Pid);
        int count;
        lock (generations) count = generations.Count;
        await Assert.That(count).IsGreaterThanOrEqualTo(2);
        await Assert.That(h.Log.Text).Contains("restarted itself in place");
    }
}
