using System.Net;
using YamlDotNet.Core;

namespace LightNvr.Config;

/// <summary>
/// The meaning checks that the shape check cannot make: ranges, port clashes, duplicates, levels.
/// Pure: values in, errors out; the marks only say where in the file each field was written.
/// </summary>
public static class ConfigRules
{
    private static readonly string[] LogLevels = ["trace", "debug", "info", "warn", "error"];

    /// <summary>Linux PATH_MAX, the terminating NUL included.</summary>
    public const int MaxPathBytes = 4096;

    private static string Shown(string value) => value.Length <= 60 ? value : value[..60] + "…";

    public static List<ConfigError> Check(AppConfig c, string file, IReadOnlyDictionary<string, Mark> marks)
    {
        var errors = new List<ConfigError>();
        void Fail(string path, string message)
        {
            var m = marks.TryGetValue(path, out var mark) ? mark : Mark.Empty;
            errors.Add(new ConfigError(file, (int)m.Line, (int)m.Column, path, message));
        }
        void Port(string path, int value, int min = 1)
        {
            if (value < min || value > 65535) Fail(path, $"expected a port {min}-65535, found {value}");
        }
        void Range(string path, int value, int min, int max, string unit = "")
        {
            if (value < min || value > max) Fail(path, $"expected {min}-{max}{unit}, found {value}");
        }
        void Level(string path, string value)
        {
            if (!LogLevels.Contains(value)) Fail(path, $"expected one of {string.Join(", ", LogLevels)}, found '{value}'");
        }

        if (!IPAddress.TryParse(c.Web.Listen, out _))
            Fail("web.listen", $"expected an IP address such as 0.0.0.0 or 127.0.0.1, found '{c.Web.Listen}'");
        Port("web.port", c.Web.Port, min: 0); // 0 = any free port (tests)

        var g = c.Go2rtc;
        Port("go2rtc.api_port", g.ApiPort);
        Port("go2rtc.rtsp_port", g.RtspPort);
        Port("go2rtc.webrtc_port", g.WebrtcPort);
        var ports = new (string Path, int Port)[]
        {
            ("web.port", c.Web.Port), ("go2rtc.api_port", g.ApiPort),
            ("go2rtc.rtsp_port", g.RtspPort), ("go2rtc.webrtc_port", g.WebrtcPort),
        };
        for (var i = 0; i < ports.Length; i++)
        for (var j = 0; j < i; j++)
            if (ports[i].Port != 0 && ports[i].Port == ports[j].Port)
                Fail(ports[i].Path, $"port {ports[i].Port} is already used by {ports[j].Path}");

        // PATH_MAX is 4096 bytes with the terminating NUL; a longer path fails every syscall.
        foreach (var (path, value) in new[] { ("state_dir", c.StateDir), ("go2rtc.binary", g.Binary), ("go2rtc.config_dir", g.ConfigDir),
                     ("auth.password_file", c.Auth.PasswordFile), ("board.console.device", c.Board.Console.Device) })
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(value ?? "");
            if (bytes >= MaxPathBytes) Fail(path, $"the path is {bytes} bytes, the limit is {MaxPathBytes - 1} (PATH_MAX)");
            else if (value?.Contains('\0') == true) Fail(path, "contains a NUL character");
        }
        for (var i = 0; i < c.Web.Hostnames.Count; i++)
        {
            var name = c.Web.Hostnames[i];
            if (name.Length is 0 or > 253 || Uri.CheckHostName(name.TrimEnd('.')) != UriHostNameType.Dns || IPAddress.TryParse(name, out _))
                Fail($"web.hostnames[{i}]", $"expected a host name such as nvr.home.lan (IP addresses are always answered), found '{Shown(name)}'");
        }
        if (string.IsNullOrWhiteSpace(g.Binary)) Fail("go2rtc.binary", "expected a path to the go2rtc executable, found nothing");
        if (string.IsNullOrWhiteSpace(g.ConfigDir)) Fail("go2rtc.config_dir", "expected a directory, found nothing");
        if (string.IsNullOrWhiteSpace(c.StateDir)) Fail("state_dir", "expected a directory, found nothing");
        Level("go2rtc.log_level", g.LogLevel);
        Level("log.level", c.Log.Level);
        Range("go2rtc.ready_timeout_ms", g.ReadyTimeoutMs, 1000, 120_000, " ms");

        WebRtcRules.Check(g.Webrtc, Fail);

        var h = c.Health;
        Range("health.period_ms", h.PeriodMs, 100, 60_000, " ms");
        Range("health.calm_period_ms", h.CalmPeriodMs, 100, 60_000, " ms");
        if (h.CalmPeriodMs < h.PeriodMs) Fail("health.calm_period_ms", $"expected at least health.period_ms ({h.PeriodMs}), found {h.CalmPeriodMs}");
        Range("health.probe_timeout_ms", h.ProbeTimeoutMs, 100, 10_000, " ms");
        Range("health.max_restarts", h.MaxRestarts, 1, 100);
        Range("health.restart_window_seconds", h.RestartWindowSeconds, 10, 86_400, " s");
        Range("health.memory_limit_percent", h.MemoryLimitPercent, 1, 95, " %");
        Range("health.hung_after", h.HungAfter, 1, 100);
        Range("health.warm_up_seconds", h.WarmUpSeconds, 1, 3600, " s");
        Range("health.memory_window_seconds", h.MemoryWindowSeconds, 1, 3600, " s");

        Range("frames.deadline_ms", c.Frames.DeadlineMs, 100, 60_000, " ms");
        Range("frames.cache_ms", c.Frames.CacheMs, 0, 60_000, " ms");
        Range("frames.max_bytes", c.Frames.MaxBytes, 1024, 64 * 1024 * 1024, " bytes");
        Range("frames.concurrency", c.Frames.Concurrency, 1, 16);
        BoardRules.Check(c.Board, Fail);
        RecordRules.Check(c.Record, Fail);
        return errors;
    }

    private static void Duplicates(string path, List<string> values, Action<string, string> fail)
    {
        foreach (var dup in values.GroupBy(v => v).Where(g => g.Count() > 1))
            fail(path, $"'{dup.Key}' is listed {dup.Count()} times; each entry must be unique");
    }
}
