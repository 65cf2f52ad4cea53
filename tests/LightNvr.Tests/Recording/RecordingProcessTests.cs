using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LightNvr.Recording;
using LightNvr.Tests.Support;
using Mono.Unix.Native;

namespace LightNvr.Tests.Recording;

/// <summary>
/// The appliance as a real process recording from the stand-in: killed with SIGKILL mid-segment, its
/// .partial file is kept and listed as partial after the restart, never as complete; on a real full disk
/// (a 1 MiB tmpfs in a private mount namespace) the camera is disk-full on the API and the status page,
/// go2rtc and the API carry on, and retention frees the oldest so recording resumes.
/// </summary>
[NotInParallel("go2rtc-lifecycle")]
public class RecordingProcessTests
{
    private sealed record Box(TempDir Dir, string Config, string RecordDir, int Port, TcpListener Camera) : IDisposable
    {
        public HttpClient Http() => AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(15) });

        public void Dispose()
        {
            Camera.Dispose();
            Dir.Dispose();
        }
    }

    private static Box Prepare(int segmentSeconds, int minFreePercent = 10)
    {
        Go2rtcBinary.RequireStandIn();
        var dir = new TempDir();
        var camera = new TcpListener(IPAddress.Loopback, Ports.Free());
        camera.Start();
        var state = Path.Combine(dir.Path, "state");
        var rec = Path.Combine(dir.Path, "rec");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(rec);
        var port = Ports.Free();
        var config = Path.Combine(dir.Path, "lightnvr.yaml");
        File.WriteAllText(config,
            $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {state}\n" +
            $"go2rtc:\n  binary: {Go2rtcBinary.Path}\n  config_dir: {state}/go2rtc\n  api_port: {Ports.Free()}\n  rtsp_port: {Ports.Free()}\n  webrtc_port: {Ports.Free()}\n" +
            $"auth:\n  password_file: {state}/none.txt\n" +
            $"record:\n  dir: {rec}\n  segment_seconds: {segmentSeconds}\n  overlap_seconds: 2\n  min_free_percent: {minFreePercent}\n");
        File.WriteAllText(Path.Combine(dir.Path, "streams.yaml"),
            $"cameras:\n  - name: door\n    url: rtsp://127.0.0.1:{((IPEndPoint)camera.LocalEndpoint).Port}/live\n    record: true\n");
        AuthClients.Provision(state);
        return new Box(dir, config, rec, port, camera);
    }

    [Test]
    public async Task Killed_mid_segment_the_partial_file_is_kept_and_listed_as_partial()
    {
        using var box = Prepare(segmentSeconds: 60);
        using var http = box.Http();
        var day = RecordingMedia.Today;
        string cut;
        await using (var first = AppProcess.Start(box.Config))
        {
            await Wait.Until(async () => (await Listed(http, day)).FirstOrDefault(s => s.Status == "recording" && Size(box, day, s.File) > 10_000).File,
                TimeSpan.FromSeconds(60), "a segment being written");
            cut = (await RecordingMedia.Segments(http, "door", day)).Single(s => s.Status == "recording").File;
            first.Signal(Signum.SIGKILL);
            await first.Process.WaitForExitAsync();
        }
        var bytes = Size(box, day, cut);
        await Assert.That(cut).EndsWith(".mp4.partial");

        await using var second = AppProcess.Start(box.Config);
        await Wait.Until(async () => (await Listed(http, day)).Any(s => s.File != cut && s.Status == "recording") ? "" : null,
            TimeSpan.FromSeconds(60), "the restarted appliance recording a new segment");
        var listed = await RecordingMedia.Segments(http, "door", day);
        var old = listed.Single(s => s.File == cut);
        await Assert.That(old.Status).IsEqualTo("partial");
        await Assert.That(old.End).IsNull();
        await Assert.That(Size(box, day, cut)).IsEqualTo(bytes);
        await Assert.That(listed.Any(s => s.Status == "complete" && s.File.StartsWith(cut[..8], StringComparison.Ordinal))).IsFalse();
        await Assert.That(SegmentIndex.Read(Path.Combine(box.RecordDir, "door", day)).Any(e => e.File is { } f && cut.StartsWith(f, StringComparison.Ordinal))).IsFalse();
    }

    [Test]
    public async Task A_full_disk_is_disk_full_and_retention_frees_the_oldest()
    {
        // About 165 KB of media every 4 s fills the 1 MiB in half a minute; each pass of retention then frees half of it.
        using var box = Prepare(segmentSeconds: 4, minFreePercent: 50);
        using var http = box.Http();
        var script = $"set -e; mount -t tmpfs -o size=1m,mode=0700 tmpfs '{box.RecordDir}'; exec dotnet exec '{AppProcess.DefaultDll}' --config '{box.Config}'";
        await using var app = AppProcess.StartCommand("unshare", "-m", "--propagation", "private", "sh", "-c", script);
        await Wait.Until(async () => await RecordingMedia.State(http, "door") == "disk-full" ? "" : null, TimeSpan.FromSeconds(120), "disk-full");

        var cause = $"cannot write {Path.Combine(box.RecordDir, "door")}: no space left on the device";
        await Assert.That(await http.GetStringAsync("/")).Contains(cause);
        using (var status = JsonDocument.Parse(await http.GetStringAsync("/api/status")))
            await Assert.That(status.RootElement.GetProperty("write_errors").EnumerateArray().Any(e => e.GetString()!.Contains(cause))).IsTrue();
        var inside = $"/proc/{app.Id}/root{box.RecordDir}/door/{RecordingMedia.Today}";
        var oldest = Directory.GetFiles(inside, "*.mp4").Order(StringComparer.Ordinal).First();

        // Retention's next pass (at most a minute) deletes the oldest until half is free; recording resumes.
        await Wait.Until(() => !File.Exists(oldest), TimeSpan.FromSeconds(90), "retention deleting the oldest segment");
        await Wait.Until(async () => await RecordingMedia.State(http, "door") == "recording" ? "" : null, TimeSpan.FromSeconds(90), "recording again");
        // Streaming and health never stopped: go2rtc ran all along under the first process.
        using var health = JsonDocument.Parse(await http.GetStringAsync("/api/health"));
        await Assert.That(health.RootElement.GetProperty("restarts").GetArrayLength()).IsEqualTo(0).Because(health.RootElement.ToString());
    }

    private static long Size(Box box, string day, string file)
    {
        var f = new FileInfo(Path.Combine(box.RecordDir, "door", day, file));
        return f.Exists ? f.Length : 0;
    }

    private static async Task<List<(string File, string Status, DateTimeOffset Start, DateTimeOffset? End)>> Listed(HttpClient http, string day)
    {
        try { return await RecordingMedia.Segments(http, "door", day); }
        catch (HttpRequestException) { return []; }
        catch (TaskCanceledException) { return []; }
    }
}
