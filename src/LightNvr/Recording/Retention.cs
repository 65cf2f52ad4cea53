using LightNvr.Config;
using LightNvr.Hosting;

namespace LightNvr.Recording;

/// <summary>What the last retention pass saw and did.</summary>
public sealed record RetentionReport(DateTimeOffset At, int Deleted, long DeletedBytes, DiskSpace? Disk);

/// <summary>
/// Every minute: deletes segments past <c>record.retention_days</c>, then the oldest while the disk has less
/// than <c>record.min_free_percent</c> free (<see cref="RetentionPlan"/> decides), never a file being written;
/// a day folder left with no segment goes too, once its day is over.
/// </summary>
public sealed class Retention(AppConfig config, Recorder recorder, IDiskSpaceProbe disk, TimeProvider clock, ILogger<Retention> log)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private RetentionReport? _last;
    public RetentionReport? Last => Volatile.Read(ref _last);

    protected override Task ExecuteAsync(CancellationToken stop) => GuardedLoop.RunAsync("retention", async s =>
    {
        while (true)
        {
            await Task.Delay(Period, clock, s);
            Sweep();
        }
    }, log, clock, stop);

    /// <summary>One pass; does nothing while the record dir is missing (an unmounted disk).</summary>
    public RetentionReport Sweep()
    {
        var settings = config.Record;
        var now = clock.GetUtcNow();
        var space = disk.Of(settings.Dir);
        if (!Directory.Exists(settings.Dir) || space is not { } d) return Publish(new(now, 0, 0, space));
        var writing = recorder.Status;
        var stored = RecordingFiles.All(settings.Dir).Where(s => !writing.IsWriting(s.Path));
        var chosen = RetentionPlan.Choose(stored, now, settings.RetentionDays, d, settings.MinFreePercent);
        long bytes = 0;
        var deleted = 0;
        foreach (var s in chosen)
        {
            try
            {
                File.Delete(s.Path);
                bytes += s.Bytes;
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning("retention: cannot delete {Path}: {Error}", s.Path, e.Message);
            }
        }
        RemoveFinishedDays(settings.Dir, SegmentPlan.DayName(now));
        if (deleted > 0) log.LogInformation("retention: deleted {Count} segments ({Bytes} bytes)", deleted, bytes);
        return Publish(new(now, deleted, bytes, disk.Of(settings.Dir)));
    }

    private RetentionReport Publish(RetentionReport r)
    {
        Volatile.Write(ref _last, r);
        return r;
    }

    private void RemoveFinishedDays(string dir, string today)
    {
        foreach (var day in RecordingFiles.DayDirs(dir))
        {
            if (string.CompareOrdinal(Path.GetFileName(day), today) >= 0 || RecordingFiles.Segments(day).Any()) continue;
            try { Directory.Delete(day, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning("retention: cannot remove {Dir}: {Error}", day, e.Message);
            }
        }
    }
}
