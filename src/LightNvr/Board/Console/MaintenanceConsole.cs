using System.IO.Ports;
using System.Text;
using LightNvr.Config;

namespace LightNvr.Board.Console;

/// <summary>
/// The UART maintenance console: the configured tty at BAUD 8N1 (System.IO.Ports), one
/// <see cref="ConsoleSession"/> at a time. A port that cannot be opened, or that vanishes (a USB adapter
/// pulled, a closed pseudo-terminal), is tried again every few seconds; nothing on the line ends the appliance.
/// </summary>
public sealed class MaintenanceConsole(ConsoleSettings settings, Func<ConsoleSession> newSession, BoardState state,
    TimeProvider clock, ILogger<MaintenanceConsole> log) : BackgroundService
{
    internal TimeSpan RetryEvery { get; init; } = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Yield();
        if (BoardRules.IsNone(settings.Device)) { state.ConsoleDevice = "none"; return; }
        var line = $"{settings.Device} {settings.Baud} 8N1";
        string? lastProblem = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var port = new SerialPort(settings.Device, settings.Baud, Parity.None, 8, StopBits.One)
                {
                    // No DTR/RTS: modem-control ioctls fail on a pseudo-terminal and on a virtio console (ENOTTY).
                    Handshake = Handshake.None, ReadTimeout = SerialPort.InfiniteTimeout, WriteTimeout = 2000,
                };
                port.Open();
                state.ConsoleDevice = $"{line}: open";
                log.LogInformation("maintenance console on {Line}", line);
                lastProblem = null;
                await ServeAsync(port.BaseStream, stop);
                throw new IOException("the line was closed");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            // Whatever the line or its driver throws, the appliance goes on (a faulted hosted service would stop the host).
            catch (Exception e)
            {
                state.ConsoleDevice = $"{line}: {e.Message}; trying again every {RetryEvery.TotalSeconds:0.#} s";
                // Said once per distinct problem: an absent adapter would otherwise fill the log every few seconds.
                if (e.Message != lastProblem) log.LogWarning("maintenance console {Device}: {Error}", settings.Device, e.Message);
                lastProblem = e.Message;
            }
            try { await Task.Delay(RetryEvery, clock, stop); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Serves one open line until it ends (EOF or an error) or the appliance stops.</summary>
    internal async Task ServeAsync(Stream port, CancellationToken stop)
    {
        var session = newSession();
        var editor = new LineEditor();
        var buffer = new byte[256];
        await WriteAsync(port, "\r\n" + ConsoleSession.Banner + "\r\n" + session.CurrentPrompt, stop);
        while (true)
        {
            var n = await port.ReadAsync(buffer, stop);
            if (n == 0) return;
            // What goes back for this chunk is collected and written once: one write per keystroke burst, not per byte.
            var reply = new MemoryStream();
            for (var i = 0; i < n; i++)
            {
                var r = editor.Feed(buffer[i]);
                reply.Write(r.Echo);
                string[] answer;
                if (r.Interrupted) { session.Interrupt(); answer = []; }
                else if (r.TooLong) answer = [$"That line was longer than {LineEditor.MaxBytes} bytes; ignored."];
                else if (r.Line is { } text) answer = [.. await session.HandleAsync(text)];
                else continue;
                var lines = new StringBuilder();
                foreach (var a in answer) lines.Append(a).Append("\r\n");
                lines.Append(session.CurrentPrompt);
                editor.Echo = session.Echo;
                reply.Write(Encoding.UTF8.GetBytes(lines.ToString()));
            }
            if (reply.Length > 0)
            {
                await port.WriteAsync(reply.GetBuffer().AsMemory(0, (int)reply.Length), stop);
                await port.FlushAsync(stop);
            }
        }
    }

    private static async Task WriteAsync(Stream port, string text, CancellationToken stop)
    {
        await port.WriteAsync(Encoding.UTF8.GetBytes(text), stop);
        await port.FlushAsync(stop);
    }
}
