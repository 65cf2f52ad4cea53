using YamlDotNet.Serialization;

namespace LightNvr.Config;

/// <summary>
/// <c>record:</c> in lightnvr.yaml: where and how long the cameras with <c>record: true</c> in
/// streams.yaml are kept. On a real box the directory is a USB disk, never the SD card's boot partition.
/// </summary>
[YamlSerializable]
public sealed class RecordSettings
{
    /// <summary>Segments go to DIR/CAMERA/YYYY-MM-DD/HH-MM-SS.mp4 (UTC).</summary>
    public string Dir { get; set; } = "/var/lib/lightnvr/recordings";

    /// <summary>Length of one MP4 file.</summary>
    public int SegmentSeconds { get; set; } = 300;

    /// <summary>The next segment is asked for this long before the current one ends, so the two overlap and nothing is lost between them.</summary>
    public int OverlapSeconds { get; set; } = 3;

    /// <summary>Segments older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>The oldest segments are deleted while the disk has less free space than this.</summary>
    public int MinFreePercent { get; set; } = 10;
}

/// <summary>The meaning checks of <c>record:</c>.</summary>
public static class RecordRules
{
    /// <summary>The Raspberry Pi's boot partition (FAT, small, the card's firmware): never a recording target.</summary>
    public static readonly string[] BootPartitions = ["/boot/firmware", "/boot"];

    public static void Check(RecordSettings r, Action<string, string> fail)
    {
        if (DirProblem(r.Dir) is { } problem) fail("record.dir", problem);
        if (r.SegmentSeconds is < 2 or > 3600) fail("record.segment_seconds", $"expected 2-3600 s, found {r.SegmentSeconds}");
        else if (r.OverlapSeconds < 0 || r.OverlapSeconds >= r.SegmentSeconds)
            fail("record.overlap_seconds", $"expected 0 to less than segment_seconds ({r.SegmentSeconds}) s, found {r.OverlapSeconds}");
        if (r.RetentionDays is < 1 or > 3650) fail("record.retention_days", $"expected 1-3650 days, found {r.RetentionDays}");
        if (r.MinFreePercent is < 1 or > 90) fail("record.min_free_percent", $"expected 1-90 %, found {r.MinFreePercent}");
    }

    /// <summary>Why <paramref name="dir"/> cannot hold recordings, or null when it can. Pure: no file system access.</summary>
    public static string? DirProblem(string? dir)
    {
        if (string.IsNullOrWhiteSpace(dir)) return "expected an absolute directory (e.g. /media/usb/recordings), found nothing";
        if (dir.Contains('\0')) return "contains a NUL character";
        if (System.Text.Encoding.UTF8.GetByteCount(dir) >= ConfigRules.MaxPathBytes - 256)
            return $"the path is too long to hold camera and date folders (limit {ConfigRules.MaxPathBytes - 257} bytes)";
        if (!dir.StartsWith('/')) return $"expected an absolute path starting with /, found the relative path '{Shown(dir)}'";
        var full = Path.GetFullPath(dir).TrimEnd('/');
        if (full.Length == 0) return "the root directory / is not a recording directory; name a folder on the recording disk";
        foreach (var boot in BootPartitions)
            if (full == boot || full.StartsWith(boot + "/", StringComparison.Ordinal))
                return $"'{Shown(dir)}' is on the boot partition ({boot}): it is small and holds the firmware; use a folder on a USB disk";
        return null;
    }

    private static string Shown(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
