using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LightNvr.Tests.Recording;

/// <summary>What the recording tests ask of a recorded file and of the recordings API.</summary>
internal static class RecordingMedia
{
    /// <summary>ffprobe's duration of the file in seconds, or null when ffprobe cannot read it as media.</summary>
    public static async Task<double?> Seconds(string file)
    {
        var psi = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file])
        { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0 && double.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    /// <summary>The segments of a day from <c>/api/recordings/CAMERA/DAY</c>: file, status, start, end.</summary>
    public static async Task<List<(string File, string Status, DateTimeOffset Start, DateTimeOffset? End)>> Segments(HttpClient http, string camera, string day)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/recordings/{camera}/{day}"));
        return [.. doc.RootElement.GetProperty("segments").EnumerateArray().Select(s => (
            s.GetProperty("file").GetString()!, s.GetProperty("status").GetString()!, s.GetProperty("start").GetDateTimeOffset(),
            s.TryGetProperty("end", out var e) ? e.GetDateTimeOffset() : (DateTimeOffset?)null))];
    }

    /// <summary>The camera's state word in <c>/api/recordings</c>, or null when it does not record now (or the appliance is not up yet).</summary>
    public static async Task<string?> State(HttpClient http, string camera)
    {
        string text;
        try { text = await http.GetStringAsync("/api/recordings"); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
        using var doc = JsonDocument.Parse(text);
        var c = doc.RootElement.GetProperty("cameras").EnumerateArray().FirstOrDefault(x => x.GetProperty("camera").GetString() == camera);
        return c.ValueKind == JsonValueKind.Object && c.TryGetProperty("state", out var s) ? s.GetString() : null;
    }

    public static string Today => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
