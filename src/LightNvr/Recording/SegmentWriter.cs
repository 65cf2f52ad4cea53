using LightNvr.Storage;

namespace LightNvr.Recording;

/// <summary>What writing one segment gave: the bytes, when the first and last arrived, or the write failure.</summary>
public sealed record WrittenSegment(long Bytes, DateTimeOffset? FirstByte, DateTimeOffset LastByte, WriteFailure? Failure);

/// <summary>
/// Copies go2rtc's MP4 body to <c>NAME.mp4.partial</c> through one 64 KiB buffer (a segment is never held in
/// memory) and renames it to <c>NAME.mp4</c> once go2rtc has ended it; the rename is made durable like
/// every atomic write. A partial file left by a crash keeps its name, so it is never taken for a finished one.
/// </summary>
public static class SegmentWriter
{
    public const int BufferBytes = 64 * 1024;

    public static async Task<WrittenSegment> CopyAsync(Stream body, string finalPath, TimeProvider clock, CancellationToken stop)
    {
        var partial = finalPath[..^SegmentPlan.Extension.Length] + SegmentPlan.PartialExtension;
        var buffer = new byte[BufferBytes];
        long bytes = 0;
        DateTimeOffset? first = null;
        var last = clock.GetUtcNow();
        FileStream? file = null;
        try
        {
            int n;
            while ((n = await ReadAsync(body, buffer, stop)) > 0)
            {
                // The file exists only once bytes came: a camera that gives nothing leaves no empty file.
                file ??= Open(partial);
                first ??= clock.GetUtcNow();
                await file.WriteAsync(buffer.AsMemory(0, n), stop);
                bytes += n;
                last = clock.GetUtcNow();
            }
            if (file is null) return new(0, null, last, null);
            file.Flush(flushToDisk: true);
            await file.DisposeAsync();
            file = null;
            File.Move(partial, finalPath);
            AtomicFile.SyncDirectory(Path.GetDirectoryName(finalPath)!);
            return new(bytes, first, last, null);
        }
        // Read errors end the segment inside ReadAsync, so an I/O error here came from the disk.
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && !stop.IsCancellationRequested)
        {
            // A full or vanished disk: what was written stays as .partial (listed as such); retention frees space.
            try { file?.Dispose(); } catch (IOException) { /* the disk is gone: nothing more to flush */ }
            file = null;
            return new(bytes, first, last, WriteFailure.From(partial, e));
        }
        finally
        {
            // Stopping (or go2rtc's body failing) mid-segment: flush what came and keep it as .partial.
            if (file is not null)
                try { await file.DisposeAsync(); } catch (IOException) { /* nothing more can be saved */ }
        }
    }

    /// <summary>Reads go2rtc's body; a connection that breaks mid-segment ends the segment like go2rtc ending it.</summary>
    private static async Task<int> ReadAsync(Stream body, byte[] buffer, CancellationToken stop)
    {
        try { return await body.ReadAsync(buffer, stop); }
        catch (Exception e) when ((e is IOException or HttpRequestException) && !stop.IsCancellationRequested) { return 0; }
    }

    private static FileStream Open(string partial)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        return new FileStream(partial, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        });
    }
}
