using LightNvr.Go2rtc;
using LightNvr.Board;
using LightNvr.Board.Console;
using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Board;

/// <summary>The console service on a real pseudo-terminal: the line vanishing and coming back, noise, long lines.</summary>
public class MaintenanceConsoleTests
{
    private sealed class Actions : IMaintenanceActions
    {
        public Task<string> RestartGo2rtcAsync(RestartReason reason) => Task.FromResult($"restarted ({reason})");
        public string FactoryReset(string by) => "reset";
        public IReadOnlyList<string> Status() => ["status line"];
        public IReadOnlyList<string> Streams() => ["door live"];
        public IReadOnlyList<string> Log(int lines) => [$"{lines} lines", "GET rtsp://admin:S3CRET@10.0.0.5/live"];
        public IReadOnlyList<string> Addresses() => ["eth0 192.0.2.10"];
        public string? SetPassword(string password) => null;
    }

    private static (MaintenanceConsole Console, BoardState State) Start(string device)
    {
        var state = new BoardState();
        var console = new MaintenanceConsole(new ConsoleSettings { Device = device }, () => new ConsoleSession(new Actions()), state,
            TimeProvider.System, NullLogger<MaintenanceConsole>.Instance) { RetryEvery = TimeSpan.FromMilliseconds(200) };
        return (console, state);
    }

    [Test]
    public async Task The_port_vanishing_and_reappearing_does_not_end_the_console()
    {
        using var dir = new TempDir();
        var link = dir.File("serial0"); // like /dev/serial0: a name that points at whichever tty is there
        var first = new PseudoTerminal();
        File.CreateSymbolicLink(link, first.SlavePath);
        var (console, state) = Start(link);
        await console.StartAsync(CancellationToken.None);
        try
        {
            await first.WaitFor("lightnvr> ");
            await Assert.That(state.ConsoleDevice).IsEqualTo($"{link} 115200 8N1: open");
            await Assert.That(await first.Command("ip")).Contains("eth0 192.0.2.10");

            first.Dispose(); // the adapter is pulled
            await Wait.Until(() => state.ConsoleDevice.Contains("trying again"), TimeSpan.FromSeconds(20), "the console to notice the hang-up");

            using var second = new PseudoTerminal(); // and plugged back in, under the same name
            File.Delete(link);
            File.CreateSymbolicLink(link, second.SlavePath);
            await second.WaitFor("lightnvr> ");
            await Assert.That(await second.Command("streams")).Contains("door live");
            await Assert.That(state.ConsoleDevice).EndsWith(": open");
        }
        finally { await console.StopAsync(CancellationToken.None); }
    }

    [Test]
    public async Task A_missing_device_is_retried_and_shown()
    {
        using var dir = new TempDir();
        var (console, state) = Start(dir.File("ttyUSB9"));
        await console.StartAsync(CancellationToken.None);
        try
        {
            await Wait.Until(() => state.ConsoleDevice.Contains("trying again every"), TimeSpan.FromSeconds(20), "the missing device on the page");
            await Assert.That(state.ConsoleDevice).StartsWith(dir.File("ttyUSB9") + " 115200 8N1: ");
        }
        finally { await console.StopAsync(CancellationToken.None); }
    }

    [Test]
    public async Task Long_lines_and_binary_noise_cannot_hurt_it_and_log_lines_are_redacted()
    {
        using var pty = new PseudoTerminal();
        var (console, _) = Start(pty.SlavePath);
        await console.StartAsync(CancellationToken.None);
        try
        {
            await pty.WaitFor("lightnvr> ");
            var from = pty.Received.Length;
            pty.Send(new string('x', 10_000) + "\r");
            await pty.WaitFor($"longer than {LineEditor.MaxBytes} bytes", from);
            var noise = new byte[16 * 1024];
            new Random(5).NextBytes(noise);
            pty.Send(noise);
            from = pty.Received.Length;
            pty.Send("\u0003help\r");
            await pty.WaitFor("factory-reset ", from, seconds: 60); // the help text arrives after whatever the noise made it say
            var log = await pty.Command("log 7");
            await Assert.That(log).Contains("7 lines");
            await Assert.That(log).DoesNotContain("S3CRET");
        }
        finally { await console.StopAsync(CancellationToken.None); }
    }
}
