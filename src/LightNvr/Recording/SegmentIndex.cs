using System.Text;
using System.Text.Json;

namespace LightNvr.Recording;

/// <summary>One line of a day's index: a finished segment (<see cref="File"/> set) or a gap with its reason.</summary>
public sealed record IndexEntry(string Kind, DateTimeOffset Start, DateTimeOffset End, long Bytes = 0, string? File = null, string? Reason = null)
{
    public const string Segment = "segment", Gap = "gap";

    public static IndexEntry ForSegment(string file, DateTimeOffset start, DateTimeOffset end, long bytes) => new(Segment, start, end, bytes, file);
    public static IndexEntry ForGap(DateTimeOffset start, DateTimeOffset end, string reason) => new(Gap, start, end, Reason: reason);
}

/// <summary>
/// The index of one camera's day, <c>CAMERA/YYYY-MM-DD/index.jsonl</c>: one JSON line per finished segment
/// or gap, appended and fsynced, never rewritten. A power cut can tear only the line being written; the
/// reader skips a line that does not parse, and the writer starts a torn file's next line on a fresh line.
/// One file per day keeps each small and lets retention delete a day's folder whole.
/// </summary>
public static class SegmentIndex
{
    public const string FileName = "index.jsonl";

    /// <summary>No line is longer (file names and reasons are short); a longer one is not ours and is skipped.</summary>
    public const int MaxLineBytes = 4096;

    public static void Append(string dayDir, IndexEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, RecordingJson.Default.IndexEntry);
        using var file = new FileStream(Path.Combine(dayDir, FileName), new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.Read,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        });
        var torn = false;
        if (file.Length > 0)
        {
            file.Seek(-1, SeekOrigin.End);
            torn = file.ReadByte() != '\n';
        }
        file.Seek(0, SeekOrigin.End);
        if (torn) file.WriteByte((byte)'\n');
        file.Write(line);
        file.WriteByte((byte)'\n');
        file.Flush(flushToDisk: true);
    }

    /// <summary>The entries of a day's index in the order written; unparsable (torn) lines are left out.</summary>
    public static IReadOnlyList<IndexEntry> Read(string dayDir)
    {
        var path = Path.Combine(dayDir, FileName);
        if (!System.IO.File.Exists(path)) return [];
        var entries = new List<IndexEntry>();
        foreach (var line in System.IO.File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length is 0 or > MaxLineBytes) continue;
            try
            {
                if (JsonSerializer.Deserialize(line, RecordingJson.Default.IndexEntry) is { Kind: IndexEntry.Segment or IndexEntry.Gap } e) entries.Add(e);
            }
            catch (JsonException)
            {
                // A line cut by a power cut: the segment it described is still on disk and listed from the folder.
            }
        }
        return entries;
    }
}
