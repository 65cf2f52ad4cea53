using System.Net;
using System.Net.Sockets;
using LightNvr.Config;
using LightNvr.Recording;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Recording;

/// <summary>
/// The appliance recording from the go2rtc stand-in, which serves real fragmented MP4 (ffmpeg): 4 s segments
/// follow each other with no gap over 1 s, each is playable media, the API lists and serves them with ranges
/// behind the admin login, and an offline camera leaves a gap in the index and no file.
/// </summary>
[NotInParallel("go2rtc-lifecycle")]
public class RecordingStandInTests
{
    private static async Task<(AppHarness App, TcpListener Camera, string Dir)> Start()
    {
        Go2rtcBinary.RequireStandIn();
        var camera = new TcpListener(IPAddress.Loopback, Ports.Free());
        camera.Start();
        var port = ((IPEndPoint)camera.LocalEndpoint).Port;
        var app = new AppHarness($"cameras:\n  - name: door\n    url: rtsp://127.0.0.1:{port}/live\n    record: true\n  - name: yard\n    url: rtsp://127.0.0.1:{port}/yard\n");
        var dir = Path.Combine(app.Dir.Path, "recordings");
        Directory.CreateDirectory(dir);
        app.Config.Record = new RecordSettings { Dir = dir, SegmentSeconds = 4, OverlapSeconds = 2 };
        await app.Start();
        await app.WaitReady();
        return (app, camera, dir);
    }

    [Test]
    public async Task Segments_follow_each_other_without_a_gap_and_play()
    {
        var (app, camera, dir) = await Start();
        await using var _ = app;
        using var __ = camera;
        var day = Path.Combine(dir, "door", RecordingMedia.Today);
        await Wait.Until(() => SegmentIndex.Read(day).Count(e => e.Kind == IndexEntry.Segment) >= 4, TimeSpan.FromSeconds(60), "four indexed segments");

        var segments = SegmentIndex.Read(day).Where(e => e.Kind == IndexEntry.Segment).OrderBy(e => e.Start).ToList();
        for (var i = 1; i < segments.Count; i++)
        {
            var gap = segments[i].Start - segments[i - 1].End;
            await Assert.That(gap.TotalSeconds).IsLessThanOrEqualTo(1.0).Because($"{segments[i - 1].File} ended {segments[i - 1].End:O}, {segments[i].File} began {segments[i].Start:O}");
            // One request every segment_seconds: the files start about 4 s apart, never two at once.
            await Assert.That((segments[i].Start - segments[i - 1].Start).TotalSeconds).IsBetween(3.0, 5.5);
        }
        foreach (var s in segments)
        {
            var seconds = await RecordingMedia.Seconds(Path.Combine(day, s.File!));
            await Assert.That(seconds).IsNotNull().Because(s.File + " is not media");
            await Assert.That(seconds!.Value).IsBetween(4.5, 6.5).Because($"{s.File}: segment 4 s + overlap 2 s");
        }
        await Assert.That(Directory.Exists(Path.Combine(dir, "yard"))).IsFalse(); // record: is off by default

        var listed = await RecordingMedia.Segments(app.Http, "door", RecordingMedia.Today);
        var first = listed.First(s => s.Status == "complete");
        await Assert.That(listed.Count(s => s.Status == "recording")).IsBetween(1, 2);
        await Assert.That(first.End).IsNotNull();

        // A range, as a browser's <video> asks for it.
        var url = $"/recordings/door/{RecordingMedia.Today}/{first.File}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(8, 99);
        using var range = await app.Http.SendAsync(request);
        await Assert.That(range.StatusCode).IsEqualTo(HttpStatusCode.PartialContent);
        await Assert.That(range.Content.Headers.ContentType!.MediaType).IsEqualTo("video/mp4");
        await Assert.That((await range.Content.ReadAsByteArrayAsync()).Length).IsEqualTo(92);
        using var download = await app.Http.GetAsync(url + "?download");
        await Assert.That(download.Content.Headers.ContentDisposition?.DispositionType).IsEqualTo("attachment");
        await Assert.That((await download.Content.ReadAsByteArrayAsync()).AsSpan(4, 4).SequenceEqual("ftyp"u8)).IsTrue();

        // Behind the login, and nothing outside the record directory is reachable.
        using var anonymous = new HttpClient { BaseAddress = app.Http.BaseAddress };
        await Assert.That((await anonymous.GetAsync(url)).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That((await anonymous.GetAsync("/api/recordings")).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        File.WriteAllText(Path.Combine(app.Dir.Path, "secret.mp4"), "x");
        foreach (var bad in new[] { $"/recordings/door/{RecordingMedia.Today}/..%2F..%2F..%2Fsecret.mp4", $"/recordings/..%2F/{RecordingMedia.Today}/{first.File}",
                     $"/recordings/door/..%2F..%2F/{first.File}", $"/recordings/door/{RecordingMedia.Today}/index.jsonl" })
            await Assert.That((await app.Http.GetAsync(bad)).StatusCode).IsEqualTo(HttpStatusCode.NotFound).Because(bad);
        await Assert.That((await app.Http.GetAsync("/api/recordings/door/..%2F..")).StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task An_offline_camera_leaves_a_gap_in_the_index_and_no_file()
    {
        var (app, camera, dir) = await Start();
        await using var _ = app;
        using var __ = camera;
        var day = Path.Combine(dir, "door", RecordingMedia.Today);
        await Wait.Until(() => SegmentIndex.Read(day).Any(e => e.Kind == IndexEntry.Segment), TimeSpan.FromSeconds(60), "a first segment");
        var firstEnd = SegmentIndex.Read(day).First(e => e.Kind == IndexEntry.Segment).End;
        // A gap from before the first segment (go2rtc not up yet) may be indexed too; the one tested begins after it.
        bool Later(IndexEntry e) => e.Kind == IndexEntry.Gap && e.Start >= firstEnd;

        (await app.Go2rtcHttp.PostAsync($"{app.Go2rtcUrl}/standin/camera?src=door&state=offline", null)).EnsureSuccessStatusCode();
        await Wait.Until(async () => await RecordingMedia.State(app.Http, "door") == "offline" ? "" : null, TimeSpan.FromSeconds(60), "offline");
        var filesWhileOffline = Directory.GetFiles(day).Length;
        (await app.Go2rtcHttp.PostAsync($"{app.Go2rtcUrl}/standin/camera?src=door&state=live", null)).EnsureSuccessStatusCode();
        await Wait.Until(() => SegmentIndex.Read(day).Any(Later), TimeSpan.FromSeconds(60), "the gap closed by a new segment");

        var index = SegmentIndex.Read(day);
        var gap = index.Single(Later);
        await Assert.That(gap.Reason).StartsWith("offline: go2rtc gave no media");
        await Assert.That(gap.End - gap.Start).IsGreaterThan(TimeSpan.FromSeconds(3));
        // The gap lies between segments: none of them overlaps it.
        foreach (var s in index.Where(e => e.Kind == IndexEntry.Segment))
            await Assert.That(s.End <= gap.Start || s.Start >= gap.End).IsTrue().Because($"{s.File} {s.Start:O}-{s.End:O} in the gap {gap.Start:O}-{gap.End:O}");
        // Every file in the folder is an indexed segment, a segment being written, or the index: no empty file for the offline time.
        foreach (var f in Directory.GetFiles(day))
            await Assert.That(new FileInfo(f).Length).IsGreaterThan(0).Because(f);
        await Assert.That(filesWhileOffline).IsGreaterThan(0);
    }
}
