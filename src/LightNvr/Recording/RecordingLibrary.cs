namespace LightNvr.Recording;

/// <summary>A camera with recordings: its state (when it records now) and the days on disk, newest first.</summary>
public sealed record CameraRecordingsView(string Camera, string? State, string? Error, IReadOnlyList<string> Days);

/// <summary><c>GET /api/recordings</c>.</summary>
public sealed record RecordingsView(string Dir, IReadOnlyList<CameraRecordingsView> Cameras, RetentionReport? Retention);

/// <summary>
/// One segment of a day: <c>complete</c> (indexed, start and end from the index), <c>recording</c> (being
/// written now) or <c>partial</c> (cut by a crash, a stop or a disk error: kept, never called complete).
/// </summary>
public sealed record SegmentView(string File, string Status, DateTimeOffset Start, DateTimeOffset? End, long Bytes);

public sealed record GapView(DateTimeOffset Start, DateTimeOffset End, string Reason);

/// <summary><c>GET /api/recordings/{camera}/{day}</c>.</summary>
public sealed record DayView(string Camera, string Day, IReadOnlyList<SegmentView> Segments, IReadOnlyList<GapView> Gaps);

/// <summary>Reads the record directory for the API and the page: the folders say what exists, the index says what finished.</summary>
public static class RecordingLibrary
{
    public static RecordingsView List(string dir, RecordingStatus status, RetentionReport? retention)
    {
        var names = RecordingFiles.CameraDirs(dir).Select(Path.GetFileName).OfType<string>().Union(status.Cameras.Keys).Order(StringComparer.Ordinal);
        return new RecordingsView(dir, [.. names.Select(name =>
        {
            var now = status.Cameras.GetValueOrDefault(name);
            var camDir = Path.Combine(dir, name);
            var days = Directory.Exists(camDir)
                ? Directory.EnumerateDirectories(camDir).Select(Path.GetFileName).OfType<string>().Where(SegmentPlan.IsDay).OrderDescending(StringComparer.Ordinal).ToList()
                : [];
            return new CameraRecordingsView(name, now?.State, now?.Error, days);
        })], retention);
    }

    public static DayView Day(string dir, string camera, string day, RecordingStatus status)
    {
        var dayDir = Path.Combine(dir, camera, day);
        if (!Directory.Exists(dayDir)) return new DayView(camera, day, [], []);
        var index = SegmentIndex.Read(dayDir);
        var finished = index.Where(e => e.Kind == IndexEntry.Segment && e.File is not null)
            .GroupBy(e => e.File!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var segments = new List<SegmentView>();
        foreach (var path in RecordingFiles.Segments(dayDir))
        {
            var name = Path.GetFileName(path);
            var start = SegmentPlan.StartOf(day, name)!.Value;
            var bytes = new FileInfo(path).Length;
            if (name.EndsWith(SegmentPlan.PartialExtension, StringComparison.Ordinal))
                segments.Add(new SegmentView(name, status.IsWriting(path) ? "recording" : "partial", start, null, bytes));
            else if (finished.TryGetValue(name, out var e))
                segments.Add(new SegmentView(name, "complete", e.Start, e.End, bytes));
            else // renamed, but the power went before its index line: whole, its end unknown
                segments.Add(new SegmentView(name, "complete", start, null, bytes));
        }
        var gaps = index.Where(e => e.Kind == IndexEntry.Gap).Select(e => new GapView(e.Start, e.End, e.Reason ?? "")).ToList();
        return new DayView(camera, day, [.. segments.OrderBy(s => s.File, StringComparer.Ordinal)], gaps);
    }
}
