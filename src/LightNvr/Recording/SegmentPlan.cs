using System.Globalization;

namespace LightNvr.Recording;

/// <summary>How one segment request ended, as far as the next request cares.</summary>
public enum SegmentEnd
{
    /// <summary>The segment ran its length (or go2rtc ended it): the next one is already under way.</summary>
    Complete,
    /// <summary>go2rtc refused it or it gave no bytes: the camera is offline (or go2rtc is down).</summary>
    NoMedia,
    /// <summary>The disk refused the bytes (full, read-only, gone).</summary>
    WriteFailed,
}

/// <summary>
/// The segment timing and file names, as plain functions. go2rtc ends a consumer after <c>duration</c>
/// seconds, so each request asks for the segment plus the overlap and the next request starts one
/// segment after the current one: the two run side by side for the overlap, and no second is lost in
/// the reconnection and the wait for the next keyframe.
/// </summary>
public static class SegmentPlan
{
    /// <summary>After no media or a failed write, the next try waits this long (the gap is recorded meanwhile).</summary>
    public static readonly TimeSpan RetryAfterNoMedia = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RetryAfterWriteFailure = TimeSpan.FromSeconds(30);

    /// <summary>Requests never start closer than this: a go2rtc that ends every body at once must not make a file per millisecond.</summary>
    public static readonly TimeSpan MinimumSpacing = TimeSpan.FromSeconds(1);

    /// <summary>The <c>duration</c> asked of go2rtc.</summary>
    public static int RequestSeconds(int segmentSeconds, int overlapSeconds) => segmentSeconds + overlapSeconds;

    /// <summary>When the next request starts, from when the current one started and how it ended (ended early: at once, or after a retry pause).</summary>
    public static DateTimeOffset NextStart(DateTimeOffset started, SegmentEnd? end, DateTimeOffset endedAt, int segmentSeconds) => end switch
    {
        null => started.AddSeconds(segmentSeconds), // still running: one segment after its start
        SegmentEnd.Complete => endedAt < started + MinimumSpacing ? started + MinimumSpacing : endedAt, // ended early: at once
        SegmentEnd.NoMedia => endedAt + RetryAfterNoMedia,
        _ => endedAt + RetryAfterWriteFailure,
    };

    public const string Extension = ".mp4";
    public const string PartialExtension = ".mp4.partial";

    /// <summary>CAMERA/YYYY-MM-DD/HH-MM-SS.mp4 under the record directory, in UTC (a clock change never reorders files).</summary>
    public static string RelativePath(string camera, DateTimeOffset start) =>
        $"{camera}/{DayName(start)}/{start.UtcDateTime.ToString("HH-mm-ss", CultureInfo.InvariantCulture)}{Extension}";

    public static string DayName(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The start time a segment's day folder and file name say, or null for any other name.</summary>
    public static DateTimeOffset? StartOf(string day, string fileName)
    {
        var stem = fileName.EndsWith(PartialExtension, StringComparison.Ordinal) ? fileName[..^PartialExtension.Length]
            : fileName.EndsWith(Extension, StringComparison.Ordinal) ? fileName[..^Extension.Length] : null;
        return stem is not null && DateTime.TryParseExact($"{day} {stem}", "yyyy-MM-dd HH-mm-ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    /// <summary>A day folder's name: yyyy-MM-dd exactly (also what the API accepts, so no other text reaches a path).</summary>
    public static bool IsDay(string day) =>
        day.Length == 10 && DateTime.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}
