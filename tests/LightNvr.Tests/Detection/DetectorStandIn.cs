using System.Diagnostics;
using System.Text.Json;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Detection;

/// <summary>tests/DetectorStandIn/detector_standin.py as a real process on a free port; every camera gets its own path.</summary>
internal sealed class DetectorStandIn : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Url { get; }

    private DetectorStandIn(Process process, int port)
    {
        _process = process;
        Url = $"http://127.0.0.1:{port}";
    }

    public static async Task<DetectorStandIn> Start(string mode = "nested")
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-u", Repo.PathOf("tests", "DetectorStandIn", "detector_standin.py"), "--port", "0", "--mode", mode })
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine("detector stand-in: " + e.Data); };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("listening on ", StringComparison.Ordinal))
            throw new InvalidOperationException($"detector stand-in said '{line}'");
        return new DetectorStandIn(process, int.Parse(line["listening on ".Length..]));
    }

    public string UrlFor(string camera) => $"{Url}/detect/{camera}";

    public async Task Mode(string mode, string? camera = null, int? delayMs = null)
    {
        var query = $"mode={mode}" + (camera is null ? "" : $"&path=/detect/{camera}") + (delayMs is null ? "" : $"&delay_ms={delayMs}");
        (await _http.PostAsync($"{Url}/control?{query}", null)).EnsureSuccessStatusCode();
    }

    public sealed record PathStats(int Requests, int InFlight, int MaxInFlight, string? LastQuery, string? LastFileType, bool LastFileIsJpeg);

    public async Task<PathStats> Stats(string camera)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync($"{Url}/stats"));
        if (!doc.RootElement.GetProperty("paths").TryGetProperty($"/detect/{camera}", out var p)) return new(0, 0, 0, null, null, false);
        return new(p.GetProperty("requests").GetInt32(), p.GetProperty("in_flight").GetInt32(), p.GetProperty("max_in_flight").GetInt32(),
            p.GetProperty("last_query").GetString(), p.GetProperty("last_file_type").GetString(), p.GetProperty("last_file_is_jpeg").GetBoolean());
    }

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(); await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException) { }
        _process.Dispose();
        _http.Dispose();
    }
}
