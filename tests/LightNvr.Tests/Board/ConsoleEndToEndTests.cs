using LightNvr.Go2rtc;
using LightNvr.Auth;
using LightNvr.Board;
using LightNvr.Health;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace LightNvr.Tests.Board;

/// <summary>
/// The whole appliance with its maintenance console on a real pseudo-terminal: every command as a person
/// at a serial adapter would type it, and no credential in anything the console prints.
/// </summary>
[NotInParallel("go2rtc-lifecycle")]
public class ConsoleEndToEndTests
{
    private const string CameraSecret = "CAMS3CRET";

    private static async Task<(AppHarness App, PseudoTerminal Pty)> Start()
    {
        var pty = new PseudoTerminal();
        var app = new AppHarness();
        await File.WriteAllTextAsync(app.StreamsPath, $"""
            cameras:
              - name: door
                url: rtsp://127.0.0.1:{app.Config.Go2rtc.RtspPort}/main
                username: admin
                password: "{CameraSecret}"
            """);
        app.Config.Board.Console.Device = pty.SlavePath;
        await app.Start();
        await app.WaitReady();
        await pty.WaitFor("lightnvr> ");
        return (app, pty);
    }

    [Test]
    public async Task Every_command_answers_and_nothing_printed_holds_a_credential()
    {
        var (app, pty) = await Start();
        await using var _ = app;
        using var __ = pty;
        await Assert.That(await pty.Command("help")).Contains("restart go2rtc");
        var status = (await pty.Command("status")).Replace("\r", "");
        await Assert.That(status).Contains("go2rtc: ready");
        await Assert.That(status).Contains("sign-in: admin password set"); // the harness provisions one, as a set-up box has
        await Assert.That(status).Contains($"console: {pty.SlavePath} 115200 8N1: open");
        await Wait.Until(async () => (await pty.Command("streams")).Contains("door") ? "" : null, TimeSpan.FromSeconds(20), "the camera in streams");
        await Assert.That(await pty.Command("ip")).Contains(":"); // an address and the page's URL, or the no-network line
        await Assert.That(await pty.Command("log 500")).Contains("maintenance console on");
        await Assert.That(await pty.Command("log x")).Contains("N is a number of lines");
        await Assert.That(await pty.Command("frobnicate")).Contains("Unknown command.");

        var before = app.Supervisor.Status.Pid;
        var restart = await pty.Command("restart go2rtc");
        await Assert.That(restart).Contains("go2rtc restarted (pid");
        await Assert.That(app.Supervisor.Status.Pid).IsNotEqualTo(before);
        await Assert.That(app.Supervisor.Ledger.History.Entries.Select(e => e.Reason)).Contains(RestartReason.Console);

        // passwd: asked twice, never echoed; a mismatch changes nothing; then set, and the appliance takes it.
        const string password = "console-set-pw-1";
        await pty.Command("passwd", "New password: ");
        var typed = await pty.Command(password, "Again: ");
        await Assert.That(typed).DoesNotContain(password);
        await Assert.That(await pty.Command("something-else")).Contains("differ; nothing changed");
        await pty.Command("passwd", "New password: ");
        await pty.Command("short", "Again: ");
        await Assert.That(await pty.Command("short")).Contains("Password refused");
        await pty.Command("passwd", "New password: ");
        await pty.Command(password, "Again: ");
        await Assert.That(await pty.Command(password)).Contains("Password set.");
        await Assert.That(new PasswordStore(app.Config.StateDir).Verify(password)).IsTrue();
        using (var authed = app.AuthedHttp(password))
            await Assert.That((await authed.GetAsync("/api/status")).IsSuccessStatusCode).IsTrue();

        var all = pty.Received;
        await Assert.That(all).DoesNotContain(password);
        await Assert.That(all).DoesNotContain(CameraSecret);
    }

    [Test]
    public async Task Factory_reset_asks_for_YES_then_backs_up_and_asks_for_a_restart()
    {
        var (app, pty) = await Start();
        await using var _ = app;
        using var __ = pty;
        var lifetime = app.App.Services.GetRequiredService<IHostApplicationLifetime>();
        await File.WriteAllTextAsync(app.ConfigPath, "web:\n  port: 9999\n");
        await pty.Command("factory-reset", "Type YES to reset: ");
        await Assert.That(await pty.Command("yes")).Contains("Cancelled; nothing changed.");
        await Assert.That(File.Exists(app.StreamsPath)).IsTrue();
        await Assert.That(lifetime.ApplicationStopping.IsCancellationRequested).IsFalse();

        await pty.Command("factory-reset", "Type YES to reset: ");
        var from = pty.Received.Length;
        pty.Send("YES\r");
        var answer = await pty.WaitFor("Restarting with defaults.", from);
        try
        {
            await Assert.That(answer).Contains(Path.Combine(app.Config.StateDir, "backups", "factory-reset-"));
            await Wait.Until(() => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(10), "the appliance to stop for its restart");
            await Assert.That(Environment.ExitCode).IsEqualTo(FactoryReset.RestartExitCode);
            await Assert.That(File.Exists(app.StreamsPath)).IsFalse();
            var backup = Directory.GetDirectories(Path.Combine(app.Config.StateDir, "backups")).Single();
            await Assert.That(File.ReadAllText(Path.Combine(backup, "streams.yaml"))).Contains(CameraSecret);
            await Assert.That(File.ReadAllText(Path.Combine(backup, "lightnvr.yaml"))).Contains("9999");
            await Assert.That(File.ReadAllText(app.ConfigPath)).Contains("factory reset");
        }
        finally { Environment.ExitCode = 0; } // the test process's own exit code is not the appliance's
    }
}
