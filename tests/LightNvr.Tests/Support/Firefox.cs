using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LightNvr.Tests.Support;

/// <summary>
/// Debian's firefox-esr driven over WebDriver BiDi, which Firefox serves itself
/// (<c>--remote-debugging-port</c>): no geckodriver and no download, so it works offline. Only the
/// few commands the player tests need: navigate and evaluate.
/// </summary>
internal sealed class Firefox : IAsyncDisposable
{
    public const string Executable = "/usr/bin/firefox-esr";
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private string _context = "";
    private int _nextId;

    private Firefox(Process process, string profile) { _process = process; _profile = profile; }

    public static async Task<Firefox> Launch()
    {
        if (!File.Exists(Executable)) Skip.Test($"{Executable} is not installed (apt-get install firefox-esr)");
        var profile = Directory.CreateTempSubdirectory("lightnvr-firefox-").FullName;
        // Muted autoplay as in Chromium; no first-run pages or update checks (offline, and quiet).
        File.WriteAllText(Path.Combine(profile, "user.js"),
            "user_pref(\"media.autoplay.default\", 0);\nuser_pref(\"browser.shell.checkDefaultBrowser\", false);\n" +
            "user_pref(\"app.update.enabled\", false);\nuser_pref(\"datareporting.policy.dataSubmissionEnabled\", false);\n");
        int port = Ports.Free();
        var psi = new ProcessStartInfo(Executable, ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", port.ToString(), "about:blank"])
        { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(psi)!;
        var firefox = new Firefox(process, profile);
        var listening = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("WebDriver BiDi listening") == true) listening.TrySetResult(); };
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("WebDriver BiDi listening") == true) listening.TrySetResult(); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await firefox._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/session"), CancellationToken.None);
            await firefox.Send("session.new", new JsonObject { ["capabilities"] = new JsonObject() });
            var tree = await firefox.Send("browsingContext.getTree", new JsonObject());
            firefox._context = tree["contexts"]![0]!["context"]!.GetValue<string>();
        }
        catch
        {
            await firefox.DisposeAsync();
            throw;
        }
        return firefox;
    }

    public Task Navigate(string url) =>
        Send("browsingContext.navigate", new JsonObject { ["context"] = _context, ["url"] = url, ["wait"] = "complete" });

    /// <summary>Runs a JavaScript expression in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonNode?> Evaluate(string expression)
    {
        var result = await Send("script.evaluate", new JsonObject
        {
            ["expression"] = expression, ["awaitPromise"] = true, ["target"] = new JsonObject { ["context"] = _context },
        });
        if (result["type"]?.GetValue<string>() == "exception")
            throw new InvalidOperationException("script error: " + result["exceptionDetails"]?["text"]);
        return result["result"]?["value"];
    }

    private async Task<JsonNode> Send(string method, JsonObject parameters)
    {
        int id = ++_nextId;
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var message = await Receive(deadline.Token);
            // Events (no id) and other answers are not ours.
            if (message["id"]?.GetValue<int>() != id) continue;
            if (message["type"]?.GetValue<string>() == "error")
                throw new InvalidOperationException($"{method}: {message["error"]} {message["message"]}");
            return message["result"]!;
        }
    }

    private async Task<JsonNode> Receive(CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        WebSocketReceiveResult part;
        do
        {
            part = await _socket.ReceiveAsync(chunk, cancel);
            buffer.Write(chunk, 0, part.Count);
        } while (!part.EndOfMessage);
        return JsonNode.Parse(buffer.ToArray())!;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); } }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_profile, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
