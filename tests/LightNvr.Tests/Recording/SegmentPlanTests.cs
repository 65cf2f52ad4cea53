using LightNvr.Recording;

namespace LightNvr.Tests.Recording;

/// <summary>Segment timing and names: the next request starts one segment after the last, each asks for the overlap too.</summary>
public class SegmentPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 23, 58, 30, TimeSpan.Zero);

    [Test]
    [Arguments(null, 0, 300)]                        // still running: one segment after its start
    [Arguments(SegmentEnd.Complete, 120, 120)]       // go2rtc ended it early: at once
    [Arguments(SegmentEnd.Complete, 0, 1)]           // ended at once: never closer than 1 s
    [Arguments(SegmentEnd.NoMedia, 2, 7)]            // offline: a short retry pause, the gap is indexed
    [Arguments(SegmentEnd.WriteFailed, 1, 31)]       // the disk refused: a longer pause, retention may free space
    public async Task The_next_request_starts_by_how_the_last_ended(SegmentEnd? end, int endedAfter, int nextAfter)
    {
        var next = SegmentPlan.NextStart(T0, end, T0.AddSeconds(endedAfter), 300);
        await Assert.That(next).IsEqualTo(T0.AddSeconds(nextAfter));
    }

    [Test]
    [Arguments(300, 3, 303)]
    [Arguments(4, 2, 6)]
    public async Task Each_request_asks_for_the_segment_and_the_overlap(int segment, int overlap, int asked) =>
        await Assert.That(SegmentPlan.RequestSeconds(segment, overlap)).IsEqualTo(asked);

    [Test]
    public async Task Paths_are_camera_day_and_time_in_utc()
    {
        var local = new DateTimeOffset(2026, 12, 8, 1, 2, 3, TimeSpan.FromHours(2)); // 23:02:03 UTC the day before
        await Assert.That(SegmentPlan.RelativePath("front_door", local)).IsEqualTo("front_door/2026-12-07/23-02-03.mp4");
        await Assert.That(SegmentPlan.StartOf("2026-12-07", "23-02-03.mp4")).IsEqualTo(local);
        await Assert.That(SegmentPlan.StartOf("2026-12-07", "23-02-03.mp4.partial")).IsEqualTo(local);
    }

    [Test]
    [Arguments("2026-12-07", "23-02-03.mp4", true)]
    [Arguments("2026-12-07", "index.jsonl", false)]
    [Arguments("2026-12-07", "../23-02-03.mp4", false)]
    [Arguments("2026-12-07", "23-02-03.mp4.tmp", false)]
    [Arguments("2026-12-07", "25-02-03.mp4", false)]
    [Arguments("2026-13-07", "23-02-03.mp4", false)]
    [Arguments("..", "23-02-03.mp4", false)]
    public async Task Only_the_recorders_own_names_are_segments(string day, string file, bool segment) =>
        await Assert.That(SegmentPlan.StartOf(day, file) is not null && SegmentPlan.IsDay(day)).IsEqualTo(segment);
}
