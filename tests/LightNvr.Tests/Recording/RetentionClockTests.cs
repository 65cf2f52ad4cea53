using LightNvr.Config;
using LightNvr.Recording;
using LightNvr.Streams;
using LightNvr.Tests.Support;
using LightNvr.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Recording;

/// <summary>
/// Retention every minute on a fake clock over real files: past the age first (an emptied old day folder goes
/// with its index), then the oldest while free space is short (the free space from a fake disk whose use is
/// the real files' sizes: a small tmpfs needs a mount this test cannot make).
/// </summary>
public class RetentionClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private sealed class FilesDisk(string dir) : IDiskSpaceProbe
    {
        public long Total { get; set; } = 1_000_000;

        public DiskSpace? Of(string _) =>
            new DiskSpace(Total, Total - Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length));
    }

    private static void Segment(string root, string day, string file, int bytes)
    {
        var dir = Path.Combine(root, "cam", day);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, file), new byte[bytes]);
    }

    [Test]
    public async Task Each_minute_deletes_the_expired_then_the_oldest_while_space_is_short()
    {
        using var tmp = new TempDir();
        var root = Path.Combine(tmp.Path, "rec");
        Segment(root, "2026-11-01", "10-00-00.mp4", 1000);            // 36 days old
        SegmentIndex.Append(Path.Combine(root, "cam", "2026-11-01"), IndexEntry.ForSegment("10-00-00.mp4", T0.AddDays(-36), T0.AddDays(-36), 1000));
        Segment(root, "2026-12-07", "09-00-00.mp4", 1000);
        Segment(root, "2026-12-07", "09-05-00.mp4.partial", 1000);     // cut by a crash: kept until its turn
        Segment(root, "2026-12-07", "09-10-00.mp4", 1000);
        var config = new AppConfig { Record = new RecordSettings { Dir = root, RetentionDays = 30, MinFreePercent = 10 } };
        var clock = new TimerClock(T0);
        var disk = new FilesDisk(root);
        var recorder = new Recorder(new CameraList(tmp.File("streams.yaml"), NullLogger<CameraList>.Instance, watch: false), config,
            new FakeGo2rtcClient(), clock, NullLogger<Recorder>.Instance);
        using var retention = new Retention(config, recorder, disk, clock, NullLogger<Retention>.Instance);
        await retention.StartAsync(CancellationToken.None);

        await clock.AdvanceTo(T0 + Retention.Period, "the first pass");
        await Wait.Until(() => retention.Last is not null, TimeSpan.FromSeconds(10), "the first pass");
        await Assert.That(retention.Last!.Deleted).IsEqualTo(1);
        await Assert.That(Directory.Exists(Path.Combine(root, "cam", "2026-11-01"))).IsFalse();
        await Assert.That(Directory.GetFiles(Path.Combine(root, "cam", "2026-12-07")).Length).IsEqualTo(3);

        // The disk shrinks to 3300 bytes with 3000 used: 9 % free; one segment, the oldest, brings it to 39 %.
        disk.Total = 3300;
        await clock.AdvanceTo(T0 + 2 * Retention.Period, "the second pass");
        await Wait.Until(() => retention.Last!.At == T0 + 2 * Retention.Period, TimeSpan.FromSeconds(10), "the second pass");
        await Assert.That(string.Join(",", Directory.GetFiles(Path.Combine(root, "cam", "2026-12-07")).Select(Path.GetFileName).Order()))
            .IsEqualTo("09-05-00.mp4.partial,09-10-00.mp4");

        // 20 % free: nothing more goes.
        disk.Total = 2500;
        await clock.AdvanceTo(T0 + 3 * Retention.Period, "the third pass");
        await Wait.Until(() => retention.Last!.At == T0 + 3 * Retention.Period, TimeSpan.FromSeconds(10), "the third pass");
        await Assert.That(retention.Last!.Deleted).IsEqualTo(0);
        await retention.StopAsync(CancellationToken.None);
    }
}
