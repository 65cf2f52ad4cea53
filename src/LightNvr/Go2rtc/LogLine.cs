using System.Text.Json;
using System.Text.RegularExpressions;

namespace LightNvr.Go2rtc;

/// <summary>What one line of go2rtc's output means to the supervisor.</summary>
public abstract record LogEvent
{
    /// <summary>The banner (<c>go2rtc platform=… version=…</c>): a start, or an in-place restart.</summary>
    public sealed record Banner(string? Version) : LogEvent;
    /// <summary><c>[api] listen addr=127.0.0.1:1984</c> and its rtsp/webrtc siblings.</summary>
    public sealed record Listening(string Module, string Address) : LogEvent;
    /// <summary><c>ERR [api] listen error="…bind: address already in use"</c>: go2rtc keeps running without it.</summary>
    public sealed record ListenFailed(string Module, string Error) : LogEvent;
    public sealed record Other : LogEvent;

    public static readonly Other Nothing = new();
}

/// <summary>
/// Reads go2rtc's log lines in either format it can be configured to (json, or text without colour),
/// so a person's log settings cannot blind the supervisor.
/// </summary>
public static partial class LogLine
{
    public static LogEvent Parse(string line)
    {
        var trimmed = line.AsSpan().Trim();
        if (trimmed.StartsWith("{")) return ParseJson(line);
        var m = TextLine().Match(line);
        if (!m.Success) return LogEvent.Nothing;
        var message = m.Groups["msg"].Value;
        if (message.StartsWith("go2rtc ", StringComparison.Ordinal) && message.Contains("version="))
            return new LogEvent.Banner(Field(message, "version"));
        var listen = ListenText().Match(message);
        if (!listen.Success) return LogEvent.Nothing;
        var module = listen.Groups["module"].Value;
        return Field(message, "addr") is { } addr ? new LogEvent.Listening(module, addr)
            : Field(message, "error") is { } error ? new LogEvent.ListenFailed(module, error)
            : LogEvent.Nothing;
    }

    private static LogEvent ParseJson(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return LogEvent.Nothing;
            string? Get(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var message = Get("message") ?? "";
            if (message == "go2rtc" && Get("version") is { } version) return new LogEvent.Banner(version);
            var listen = ListenJson().Match(message);
            if (!listen.Success) return LogEvent.Nothing;
            var module = listen.Groups["module"].Value;
            return Get("addr") is { } addr ? new LogEvent.Listening(module, addr)
                : Get("error") is { } error ? new LogEvent.ListenFailed(module, error)
                : LogEvent.Nothing;
        }
        catch (JsonException)
        {
            return LogEvent.Nothing;
        }
    }

    /// <summary>A <c>key=value</c> or <c>key="quoted value"</c> field of a text line.</summary>
    private static string? Field(string message, string key)
    {
        foreach (Match m in TextField().Matches(message))
        {
            if (m.Groups["key"].Value != key) continue;
            return m.Groups["q"].Success ? m.Groups["q"].Value.Replace("\\\"", "\"").Replace("\\\\", "\\") : m.Groups["v"].Value;
        }
        return null;
    }

    // key=value or key="quoted \"value\"" fields of a zerolog console line.
    [GeneratedRegex(@"(?:^|\s)(?<key>[a-z_]+)=(?:""(?<q>(?:[^""\\]|\\.)*)""|(?<v>\S+))")]
    private static partial Regex TextField();

    // "08:55:18.352 INF [api] listen addr=…"; the time may be absent (log.time: "").
    [GeneratedRegex(@"^(?:\S+\s+)?(?<level>TRC|DBG|INF|WRN|ERR|FTL|PNC)\s+(?<msg>.*)$")]
    private static partial Regex TextLine();

    // "[api] listen", "[webrtc] listen tcp", "[api] tls listen".
    [GeneratedRegex(@"^\[(?<module>[a-z0-9]+)\] (?:tls )?listen(?: (?:tcp|udp))?(?:\s|$)")]
    private static partial Regex ListenText();

    [GeneratedRegex(@"^\[(?<module>[a-z0-9]+)\] (?:tls )?listen(?: (?:tcp|udp))?$")]
    private static partial Regex ListenJson();
}
