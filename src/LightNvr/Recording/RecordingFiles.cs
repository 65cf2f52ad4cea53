using LightNvr.Streams;

namespace LightNvr.Recording;

/// <summary>
/// The record directory as files: CAMERA/YYYY-MM-DD/HH-MM-SS.mp4[.partial]. Only names of that shape are
/// looked at, and a name from a request is turned into a path only after it passed the same shape checks,
/// so no request can reach outside the record directory.
/// </summary>
public static class RecordingFiles
{
    public static IEnumerable<string> CameraDirs(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateDirectories(dir).Where(d => CameraRules.NameProblem(Path.GetFileName(d)) is null) : [];

    public static IEnumerable<string> DayDirs(string dir) =>
        CameraDirs(dir).SelectMany(c => Directory.EnumerateDirectories(c).Where(d => SegmentPlan.IsDay(Path.GetFileName(d))));

    /// <summary>The segment files of one day folder, finished and partial.</summary>
    public static IEnumerable<string> Segments(string dayDir) =>
        Directory.EnumerateFiles(dayDir).Where(f => SegmentPlan.StartOf(Path.GetFileName(dayDir), Path.GetFileName(f)) is not null);

    public static IEnumerable<StoredSegment> All(string dir) =>
        DayDirs(dir).SelectMany(day => Segments(day).Select(f =>
            new StoredSegment(f, SegmentPlan.StartOf(Path.GetFileName(day), Path.GetFileName(f))!.Value, Size(f))));

    private static long Size(string file)
    {
        try { return new FileInfo(file).Length; }
        catch (IOException) { return 0; }
    }

    /// <summary>
    /// The full path of a segment named by a request, or null when any part is not of the recorder's own shape
    /// (a camera name, a yyyy-MM-dd day, HH-MM-SS.mp4[.partial]) or the file does not exist.
    /// </summary>
    public static string? Resolve(string dir, string camera, string day, string file)
    {
        if (CameraRules.NameProblem(camera) is not null || !SegmentPlan.IsDay(day) || SegmentPlan.StartOf(day, file) is null) return null;
        var root = Path.GetFullPath(dir).TrimEnd('/') + "/";
        var full = Path.GetFullPath(Path.Combine(root, camera, day, file));
        return full.StartsWith(root, StringComparison.Ordinal) && File.Exists(full) ? full : null;
    }
}
