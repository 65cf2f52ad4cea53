using System.Collections.Concurrent;
using System.IO.Pipelines;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Hosting;
using LightNvr.Recording;
using LightNvr.Tests.Support;
using LightNvr.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// One camera's recording loop on a fake clock, go2rtc's bodies fed by the test: segments overlap and are
/// renamed when go2rtc ends them, an offline camera leaves a gap in the index and no file, a full disk
/// (a real ENOSPC from /dev/full) is a named state and the loop goes on.
/// </summary>
public class CameraRecorderClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private const string Refusal = "go2rtc answered 500: streams: dial tcp 10.0.0.5:554: i/o timeout";

    private sealed class Rig : IAsyncDisposable
    {
        public readonly TempDir Dir = new();
        public readonly TimerClock Clock = new(T0);
        public readonly FakeGo2rtcClient Go2rtc = new();
        public readonly ConcurrentQueue<Pipe> Bodies = new();
        public readonly Published<RecordingStatus> Status;
        public volatile bool Offline;
        public int Requests;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public Rig()
        {
            Status = new(RecordingStatus.Empty(Dir.Path));
            Go2rtc.Mp4 = (name, seconds) =>
            {
                Interlocked.Increment(ref Requests);
                if (name != "cam" || seconds != 5) return new Mp4Opening(null, $"unexpected request {name} {seconds}");
                if (Offline) return new Mp4Opening(null, Refusal);
                var pipe = new Pipe();
                Bodies.Enqueue(pipe);
                return new Mp4Opening(pipe.Reader.AsStream(), null);
            };
            var settings = new RecordSettings { Dir = Dir.Path, SegmentSeconds = 4, OverlapSeconds = 1 };
            _run = new CameraRecorder("cam", settings, Go2rtc, Clock, Status, NullLogger.Instance).RunAsync(_stop.Token);
        }

        public string Day => Path.Combine(Dir.Path, "cam", "2026-12-07");

        public async Task<Pipe> Body(int n)
        {
            await Wait.Until(() => Bodies.Count >= n, TimeSpan.FromSeconds(10), $"segment request {n}");
            return Bodies.ElementAt(n - 1);
        }

        public CameraRecording Cam => Status.Current.Cameras["cam"];

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _run; } catch (OperationCanceledException) { }
            Dir.Dispose();
        }
    }

    private static async Task Send(Pipe pipe, int bytes, bool end = false)
    {
        await pipe.Writer.WriteAsync(new byte[bytes]);
        if (end) await pipe.Writer.CompleteAsync();
    }

    [Test]
    public async Task Segments_overlap_and_an_offline_camera_leaves_a_gap_not_a_file()
    {
        await using var rig = new Rig();
        var a = await rig.Body(1);
        await Send(a, 1000);
        var partialA = Path.Combine(rig.Day, "10-00-00.mp4.partial");
        await Wait.Until(() => File.Exists(partialA) && rig.Cam.Writing.Contains(partialA), TimeSpan.FromSeconds(10), "A written as .partial");

        await rig.Clock.AdvanceTo(T0.AddSeconds(4), "the next segment, one segment after the first");
        var b = await rig.Body(2);
        await Send(b, 500);
        await Wait.Until(() => File.Exists(Path.Combine(rig.Day, "10-00-04.mp4.partial")), TimeSpan.FromSeconds(10), "B's first bytes");
        rig.Clock.Advance(TimeSpan.FromSeconds(1)); // go2rtc ends A after its overlap
        await Send(a, 1000, end: true);
        await Wait.Until(() => File.Exists(Path.Combine(rig.Day, "10-00-00.mp4")) && !File.Exists(partialA), TimeSpan.FromSeconds(10), "A renamed");
        await Assert.That(new FileInfo(Path.Combine(rig.Day, "10-00-00.mp4")).Length).IsEqualTo(2000);

        rig.Offline = true;
        await Send(b, 500, end: true); // B ends early (go2rtc closed it): the next request goes at once, and is refused
        await Wait.Until(() => rig.Cam.State == "offline", TimeSpan.FromSeconds(10), "offline");
        await Assert.That(rig.Cam.Error).IsEqualTo(Refusal);
        await rig.Clock.AdvanceTo(T0.AddSeconds(10), "the retry 5 s after the refusal");
        await Wait.Until(() => rig.Requests == 4, TimeSpan.FromSeconds(10), "the second refused request");
        rig.Offline = false;
        await rig.Clock.AdvanceTo(T0.AddSeconds(15), "the next retry");
        var e = await rig.Body(3);
        await Send(e, 700, end: true);
        await Wait.Until(() => SegmentIndex.Read(rig.Day).Count == 4, TimeSpan.FromSeconds(10), "A, B, the gap and E in the index");

        var index = SegmentIndex.Read(rig.Day);
        await Assert.That(string.Join(",", index.Select(x => x.File ?? x.Kind))).IsEqualTo("10-00-00.mp4,10-00-04.mp4,gap,10-00-15.mp4");
        await Assert.That(index[0].End).IsEqualTo(T0.AddSeconds(5));
        await Assert.That(index[1].Start).IsEqualTo(T0.AddSeconds(4)); // B began before A ended: no gap between them
        var gap = index[2];
        await Assert.That((gap.Start, gap.End)).IsEqualTo((T0.AddSeconds(5), T0.AddSeconds(15)));
        await Assert.That(gap.Reason).IsEqualTo("offline: " + Refusal);
        // The refused requests left no file, empty or not.
        await Assert.That(string.Join(",", Directory.GetFiles(rig.Day).Select(Path.GetFileName).Order()))
            .IsEqualTo("10-00-00.mp4,10-00-04.mp4,10-00-15.mp4,index.jsonl");
        await Assert.That(rig.Cam.State).IsEqualTo("recording");
        await Assert.That(rig.Cam.Segments).IsEqualTo(3);
    }

    [Test]
    public async Task A_full_disk_is_named_and_the_loop_goes_on()
    {
        await using var rig = new Rig();
        // The first segment's .partial is /dev/full: the kernel answers its writes with ENOSPC.
        Directory.CreateDirectory(rig.Day);
        File.CreateSymbolicLink(Path.Combine(rig.Day, "10-00-00.mp4.partial"), "/dev/full");
        var a = await rig.Body(1);
        await Send(a, 1000);
        await Wait.Until(() => rig.Cam.State == "disk-full", TimeSpan.FromSeconds(10), "disk-full");
        await Assert.That(rig.Cam.Error).IsEqualTo("no space left on the device");
        await Assert.That(LightNvr.Storage.WriteFailures.Lines().Any(l => l.Contains(Path.Combine(rig.Dir.Path, "cam")) && l.Contains("no space left")))
            .IsTrue();

        await rig.Clock.AdvanceTo(T0.AddSeconds(30), "the retry 30 s after the failed write");
        var b = await rig.Body(2);
        await Send(b, 1000, end: true);
        await Wait.Until(() => rig.Cam.State == "recording" && rig.Cam.Segments == 1, TimeSpan.FromSeconds(10), "recording again");
        await Assert.That(File.Exists(Path.Combine(rig.Day, "10-00-30.mp4"))).IsTrue();
        var gap = SegmentIndex.Read(rig.Day).Single(x => x.Kind == IndexEntry.Gap);
        await Assert.That(gap.Reason).IsEqualTo("disk-full: no space left on the device");
        await Assert.That(LightNvr.Storage.WriteFailures.Lines().Any(l => l.Contains(Path.Combine(rig.Dir.Path, "cam")))).IsFalse();
    }

    [Test]
    public async Task A_missing_record_dir_is_disk_gone_and_never_created()
    {
        await using var rig = new Rig();
        Directory.Delete(rig.Dir.Path, recursive: true);
        await Wait.Until(() => rig.Status.Current.Cameras.TryGetValue("cam", out var c) && c.State == "disk-gone", TimeSpan.FromSeconds(10), "disk-gone");
        await Assert.That(rig.Requests).IsEqualTo(0);
        await rig.Clock.AdvanceTo(T0.AddSeconds(30), "the retry");
        await Wait.Until(() => rig.Clock.Due.Contains(T0.AddSeconds(60)), TimeSpan.FromSeconds(10), "the next retry armed");
        await Assert.That(Directory.Exists(rig.Dir.Path)).IsFalse();
    }
}
