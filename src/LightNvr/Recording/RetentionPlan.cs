namespace LightNvr.Recording;

/// <summary>A segment file on the recording disk, as retention sees it.</summary>
public sealed record StoredSegment(string Path, DateTimeOffset Start, long Bytes);

/// <summary>The recording disk's size and free space, in bytes.</summary>
public readonly record struct DiskSpace(long TotalBytes, long FreeBytes);

/// <summary>
/// Which segments to delete: everything older than the retention, then the oldest first until the disk
/// has the minimum free share again. Pure; segments being written are not passed in.
/// </summary>
public static class RetentionPlan
{
    public static IReadOnlyList<StoredSegment> Choose(IEnumerable<StoredSegment> segments, DateTimeOffset now, int retentionDays,
        DiskSpace disk, int minFreePercent)
    {
        var oldestFirst = segments.OrderBy(s => s.Start).ThenBy(s => s.Path, StringComparer.Ordinal).ToList();
        var cutoff = now.AddDays(-retentionDays);
        var delete = new List<StoredSegment>();
        var free = disk.FreeBytes;
        // Integer arithmetic: free/total < p/100 ⇔ free*100 < p*total (no rounding at the boundary).
        bool Short() => disk.TotalBytes > 0 && (decimal)free * 100 < (decimal)minFreePercent * disk.TotalBytes;
        foreach (var s in oldestFirst)
        {
            if (s.Start < cutoff || Short())
            {
                delete.Add(s);
                free += s.Bytes;
            }
            else break; // oldest first: once one is kept, every newer one is kept too
        }
        return delete;
    }
}
