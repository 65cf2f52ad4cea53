using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Logging;
using LightNvr.Status;
using LightNvr.Streams;

namespace LightNvr.Web;

/// <summary>The health part of the bundle: the snapshot now and the notable events before it.</summary>
public sealed record DiagnosticsHealth(HealthSnapshot Current, IReadOnlyList<HealthEvent> History);

/// <summary>
/// <c>GET /api/diagnostics</c>: one zip a person can attach to a bug report. Every text in it passes
/// the redactor and a line scrub of secret-named YAML keys, because a bundle is made to be shared.
/// </summary>
public static partial class Diagnostics
{
    public static IEndpointRouteBuilder MapDiagnostics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/diagnostics", (HttpContext http, StatusService status, LoadedConfig loaded, CameraList cameras, StreamSync sync,
            Go2rtcSupervisor go2rtc, ApplianceStateOwner appliance, HealthHistory history, RecentLog log, TimeProvider clock) =>
        {
            var now = clock.GetUtcNow();
            var bytes = Build(new Inputs(status.Current(500), loaded, cameras, sync, go2rtc, appliance.Current.Health, history.Events, log.Lines, now));
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.File(bytes, "application/zip", $"lightnvr-diagnostics-{now:yyyyMMdd-HHmmss}.zip");
        });
        return app;
    }

    public sealed record Inputs(StatusReport Status, LoadedConfig Loaded, CameraList Cameras, StreamSync Sync, Go2rtcSupervisor Go2rtc,
        HealthSnapshot Health, IReadOnlyList<HealthEvent> History, IReadOnlyList<string> ApplianceLog, DateTimeOffset Now);

    /// <summary>The file names in the bundle, in order (the README lists the same).</summary>
    public static readonly string[] Entries =
    [
        "version.txt", "status.json", "lightnvr.yaml", "cameras.json", "go2rtc.generated.yaml", "go2rtc.log",
        "appliance.log", "health.json",
    ];

    public static byte[] Build(Inputs i)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            var s = i.Status;
            Add(zip, "version.txt", i.Now, $"""
                LightNVR Appliance {s.Version}
                bundle made  {i.Now:u}
                uptime       {s.UptimeSeconds:0} s
                go2rtc       {s.Go2rtc.Status.Version ?? "unknown"} ({s.Go2rtc.Status.Phase}), binary {s.Go2rtc.Status.BinaryPath ?? "not found"}
                build        go2rtc enabled={s.Build.Go2rtcEnabled}, binary path={s.Build.Go2rtcBinaryPath}, config dir={s.Build.Go2rtcConfigDir}, api port={s.Build.Go2rtcApiPort}
                runtime      {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}

                """);
            Add(zip, "status.json", i.Now, JsonSerializer.Serialize(s, WebJson.Default.StatusReport));
            Add(zip, "lightnvr.yaml", i.Now, ReadOr(i.Loaded.Path, "(the configuration file could not be read: the appliance runs on defaults)"));
            var load = i.Cameras.Current;
            // The cameras as the API shows them (never a password), plus what is wrong in streams.yaml.
            Add(zip, "cameras.json", i.Now, JsonSerializer.Serialize(new CameraListView(
                load.Cameras.Select(c => CameraView.Of(c, i.Sync)).ToList(),
                load.Errors.Select(e => e.ToString()).ToList(), i.Sync.Desired?.Unavailable ?? []), WebJson.Default.CameraListView));
            var dir = i.Loaded.Config.Go2rtc.ConfigDir;
            Add(zip, "go2rtc.generated.yaml", i.Now, ReadOr(Path.Combine(dir, GeneratedConfig.FileName), "(go2rtc's config has not been written yet)"));
            var log = ReadTail(Path.Combine(dir, "go2rtc.log"), 1 << 20) ?? string.Join('\n', i.Go2rtc.RecentLog(500));
            Add(zip, "go2rtc.log", i.Now, log);
            Add(zip, "appliance.log", i.Now, i.ApplianceLog.Count > 0 ? string.Join('\n', i.ApplianceLog) + "\n" : "(no log lines kept)\n");
            Add(zip, "health.json", i.Now, JsonSerializer.Serialize(new DiagnosticsHealth(i.Health, i.History), WebJson.Default.DiagnosticsHealth));
        }
        return memory.ToArray();
    }

    /// <summary>Redactor first (URL credentials, query and JSON secrets), then any YAML line whose key names a secret.</summary>
    public static string Scrub(string text) => SecretYamlLine().Replace(Redactor.Redact(text), m => m.Groups["head"].Value + Redactor.Mask);

    [GeneratedRegex(@"(?<head>^[ \t]*(?:-[ \t]+)?[""']?(?:password|passwd|pwd|pass|credential|credentials|secret|token|api_key|apikey|auth)[""']?[ \t]*:[ \t]*)(?=\S)(?!\*\*\*\s*$).*$",
        RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretYamlLine();

    private static void Add(ZipArchive zip, string name, DateTimeOffset at, string text)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        entry.LastWriteTime = at;
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(Scrub(text)));
    }

    private static string ReadOr(string path, string missing)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return missing + "\n"; }
    }

    /// <summary>The last <paramref name="max"/> bytes of a file (go2rtc's log is size-capped, but stay bounded anyway).</summary>
    private static string? ReadTail(string path, int max)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (f.Length > max) f.Seek(-max, SeekOrigin.End);
            using var reader = new StreamReader(f, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
