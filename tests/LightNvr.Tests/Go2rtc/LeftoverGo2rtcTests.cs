using System.Diagnostics;
using System.Text.Json;
using LightNvr.Go2rtc;
using LightNvr.Posix;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Go2rtc;

/// <summary>A go2rtc left over from a killed appliance is found by PID, start time, process group and boot, whatever execs between.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class LeftoverGo2rtcTests
{
    private const string Password = "leftover-go2rtc-test";

    [Test]
    public async Task A_go2rtc_started_through_an_exec_wrapper_is_stopped_by_the_next_appliance()
    {
        await using var h = new SupervisorHarness();
        // The configured go2rtc is a launcher script that execs the real binary: same PID, another executable.
        var wrapper = h.Dir.Write("go2rtc-wrapper.sh", $"#!/bin/sh\nexec '{Go2rtcBinary.Path}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        new LightNvr.Auth.PasswordStore(h.Config.StateDir).Set(Password);
        var webPort = Ports.Free();
        var configPath = h.AppConfigFile(webPort, wrapper, $"auth:\n  password_file: {h.Dir.File("no-password-file")}\n");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = AppHarness.BasicHeader(Password);

        var first = AppProcess.Start(configPath);
        int pid;
        try
        {
            pid = await Go2rtcPid(http);
        }
        catch
        {
            await first.DisposeAsync();
            throw;
        }
        var leftover = ProcessIdentity.Capture(pid)!.Value;
        await Assert.That(ProcFs.ExePath(pid)).IsNotEqualTo(wrapper); // the exec happened
        first.Process.Kill(); // SIGKILL: go2rtc survives, orphaned, holding its ports
        await first.Process.WaitForExitAsync();
        await first.DisposeAsync();
        await Assert.That(leftover.IsAlive()).IsTrue();

        var clock = Stopwatch.StartNew();
        await using var second = AppProcess.Start(configPath);
        await Wait.Until(() => !leftover.IsAlive(), TimeSpan.FromSeconds(30), "the leftover go2rtc to be stopped");
        var lived = clock.Elapsed;
        Console.WriteLine($"leftover go2rtc lived {lived.TotalMilliseconds:0} ms after the next appliance was started");
        File.WriteAllText(Path.Combine(Repo.Root, "build", "leftover-go2rtc-lifetime.txt"), $"{lived.TotalMilliseconds:0} ms\n");
        var newPid = await Go2rtcPid(http);
        await Assert.That(newPid).IsNotEqualTo(pid);
        await Assert.That(second.Output).Contains("left behind");
        await Assert.That(second.Output).DoesNotContain($"in use by PID {pid}");
        await Assert.That(lived).IsLessThan(TimeSpan.FromSeconds(15));
    }

    private static async Task<int> Go2rtcPid(HttpClient http)
    {
        var json = await AppProcess.WaitForPage(http, "/api/status", text => text.Contains("\"phase\":\"Ready\""), seconds: 60);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("go2rtc").GetProperty("status").GetProperty("pid").GetInt32();
    }

    [Test]
    [Arguments("{0} {1} {0} BOOT", true)]               // ours: PID, start time, its own group, this boot
    [Arguments("{0} {1} {0} OTHER-BOOT", false)]        // before a reboot: PID and start time repeat
    [Arguments("{0} 999 {0} BOOT", false)]              // the PID was reused by a later process
    [Arguments("{0} {1} 4242 BOOT", false)]             // same process, but not the group we made
    [Arguments("{0} {1}", false)]                       // an older file: nothing for sure
    [Arguments("{0} {1} {0} BOOT extra", false)]
    [Arguments("1 {1} 1 BOOT", false)]                  // never init
    [Arguments("garbage", false)]
    [Arguments("", false)]
    public async Task The_pid_file_names_a_leftover_only_when_every_part_of_the_identity_matches(string pattern, bool match)
    {
        const int pid = 4321;
        var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, pid, 777).Replace("BOOT", "b00t", StringComparison.Ordinal);
        var found = PidFile.Match(line, "b00t", p => p == pid ? new ProcStat('S', 1, pid, pid, 0, 0, 777) : null);
        await Assert.That(found is not null).IsEqualTo(match);
        if (match) await Assert.That(found!.ProcessGroup).IsEqualTo(pid);
    }

    [Test]
    public async Task A_zombie_or_a_gone_process_is_no_leftover()
    {
        const string line = "4321 777 4321 b00t";
        await Assert.That(PidFile.Match(line, "b00t", _ => new ProcStat('Z', 1, 4321, 4321, 0, 0, 777))).IsNull();
        await Assert.That(PidFile.Match(line, "b00t", _ => null)).IsNull();
        await Assert.That(PidFile.Match(line, null, _ => new ProcStat('S', 1, 4321, 4321, 0, 0, 777))).IsNull();
    }

    /// <summary>A port held by something that is not ours is retried on the normal backoff, never every second.</summary>
    [Test]
    public async Task A_held_port_is_retried_no_faster_than_the_backoff()
    {
        await using var h = new SupervisorHarness();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, h.Config.Go2rtc.ApiPort);
        squatter.Start();
        await h.Start(new SupervisorOptions { LocateRetry = TimeSpan.FromMilliseconds(300), PortFreeDeadline = TimeSpan.FromMilliseconds(100) });
        // Four attempts (each one the supervisor finding the port held again): the gaps between them are the backoff.
        var attempts = new List<DateTimeOffset>();
        var wasConflict = false;
        await Wait.Until(() =>
        {
            var conflict = h.Supervisor.Status.Phase == Go2rtcPhase.PortConflict && h.Supervisor.Status.NextAttemptAt is not null;
            if (conflict && !wasConflict) attempts.Add(DateTimeOffset.UtcNow);
            wasConflict = conflict;
            return attempts.Count >= 4;
        }, TimeSpan.FromSeconds(30), "four attempts on the held port");
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b - a).ToList();
        for (var i = 0; i < gaps.Count; i++)
            await Assert.That(gaps[i]).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(Math.Pow(2, i) * 0.9)).Because($"gap {i}");
        await Assert.That(h.Go2rtcChildren()).IsEmpty(); // nothing was spawned onto the held port
    }
}
