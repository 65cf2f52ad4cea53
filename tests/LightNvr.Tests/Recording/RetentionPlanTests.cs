using LightNvr.Recording;

namespace LightNvr.Tests.Recording;

/// <summary>Retention: past the age first, then oldest first until the disk has its minimum free share.</summary>
public class RetentionPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    // Segments of 100 bytes each, started this many hours ago.
    private static List<StoredSegment> Aged(params int[] hoursAgo) =>
        [.. hoursAgo.Select(h => new StoredSegment($"/r/cam/{h}", Now.AddHours(-h), 100))];

    [Test]
    [Arguments(new[] { 1, 2, 3 }, 30, 1000, 500, 10, "")]                      // young, plenty of space: nothing
    [Arguments(new[] { 1, 24 * 31, 24 * 40 }, 30, 1000, 500, 10, "960,744")]   // two past 30 days, oldest first
    [Arguments(new[] { 1, 2, 3, 4 }, 30, 1000, 50, 10, "4")]                    // 5 % free: one 100-byte segment brings 15 %
    [Arguments(new[] { 1, 2, 3, 4 }, 30, 1000, 0, 25, "4,3,2")]                 // 0 % → 10, 20, 30 %
    [Arguments(new[] { 1, 2 }, 30, 10_000, 0, 10, "2,1")]                       // not enough to reach it: all go, never more
    [Arguments(new[] { 5, 1, 3 }, 30, 1000, 99, 10, "5")]                        // 9.9 % is short; order by age, not by listing
    [Arguments(new[] { 5, 1, 3 }, 30, 1000, 100, 10, "")]                        // exactly 10 % is enough
    public async Task Chooses_old_then_oldest_while_space_is_short(int[] hoursAgo, int days, long total, long free, int minFree, string expected)
    {
        var chosen = RetentionPlan.Choose(Aged(hoursAgo), Now, days, new DiskSpace(total, free), minFree);
        await Assert.That(string.Join(",", chosen.Select(s => s.Path.Split('/')[^1]))).IsEqualTo(expected);
    }
}
