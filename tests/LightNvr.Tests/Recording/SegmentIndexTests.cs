using LightNvr.Recording;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Recording;

/// <summary>The day index survives a power cut: a torn last line is skipped, and the next line starts fresh.</summary>
public class SegmentIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Entries_come_back_in_the_order_written()
    {
        using var dir = new TempDir();
        SegmentIndex.Append(dir.Path, IndexEntry.ForSegment("10-00-00.mp4", T0, T0.AddSeconds(303), 123_456));
        SegmentIndex.Append(dir.Path, IndexEntry.ForGap(T0.AddSeconds(303), T0.AddSeconds(400), "offline: go2rtc answered 500"));
        var read = SegmentIndex.Read(dir.Path);
        await Assert.That(read.Count).IsEqualTo(2);
        await Assert.That(read[0]).IsEqualTo(IndexEntry.ForSegment("10-00-00.mp4", T0, T0.AddSeconds(303), 123_456));
        await Assert.That(read[1].Reason).IsEqualTo("offline: go2rtc answered 500");
    }

    [Test]
    public async Task A_torn_last_line_is_ignored_and_the_next_append_is_read()
    {
        using var dir = new TempDir();
        SegmentIndex.Append(dir.Path, IndexEntry.ForSegment("10-00-00.mp4", T0, T0.AddSeconds(300), 10));
        // The power went in the middle of the second line: half of it reached the disk, no newline.
        using var other = new TempDir();
        SegmentIndex.Append(other.Path, IndexEntry.ForSegment("10-05-00.mp4", T0.AddSeconds(300), T0.AddSeconds(600), 20));
        var whole = File.ReadAllText(other.File(SegmentIndex.FileName)).TrimEnd('\n');
        File.AppendAllText(dir.File(SegmentIndex.FileName), whole[..(whole.Length / 2)]);

        var afterCut = SegmentIndex.Read(dir.Path);
        await Assert.That(string.Join(",", afterCut.Select(e => e.File))).IsEqualTo("10-00-00.mp4");

        SegmentIndex.Append(dir.Path, IndexEntry.ForSegment("10-10-00.mp4", T0.AddSeconds(600), T0.AddSeconds(900), 30));
        var afterNext = SegmentIndex.Read(dir.Path);
        await Assert.That(string.Join(",", afterNext.Select(e => e.File))).IsEqualTo("10-00-00.mp4,10-10-00.mp4");
    }

    [Test]
    public async Task A_missing_index_is_empty()
    {
        using var dir = new TempDir();
        await Assert.That(SegmentIndex.Read(dir.Path).Count).IsEqualTo(0);
    }
}
