using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Hosting;
using LightNvr.Storage;

namespace LightNvr.Recording;

/// <summary>
/// One camera's recording loop: a segment request every <c>segment_seconds</c> (each asking for the
/// overlap too), written by <see cref="SegmentWriter"/>, indexed when finished. No media means a gap in
/// the index, never an empty file; a disk that refuses the bytes is a named state, and the loop goes on.
/// </summary>
public sealed class CameraRecorder(string camera, RecordSettings settings, IGo2rtcClient go2rtc, TimeProvider clock,
    Published<RecordingStatus> status, ILogger log)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastMediaEnd;
    private (DateTimeOffset Start, string Reason)? _gap;

    private string CameraDir => Path.Combine(settings.Dir, camera);

    public async Task RunAsync(CancellationToken stop)
    {
        var running = new List<Task>();
        status.Update(s => s.Set(s.Cameras.GetValueOrDefault(camera) ?? CameraRecording.Starting(camera, clock.GetUtcNow())));
        try
        {
            var next = clock.GetUtcNow();
            while (!stop.IsCancellationRequested)
            {
                if (next - clock.GetUtcNow() is { Ticks: > 0 } wait) await Task.Delay(wait, clock, stop);
                var start = clock.GetUtcNow();
                var segment = RecordOneAsync(start, stop);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(segment);
                // The next request starts one segment after this one, while this one still runs its overlap.
                var due = Task.Delay(TimeSpan.FromSeconds(settings.SegmentSeconds), clock, stop);
                if (await Task.WhenAny(segment, due) == segment)
                    next = SegmentPlan.NextStart(start, await segment, clock.GetUtcNow(), settings.SegmentSeconds);
                else
                    next = SegmentPlan.NextStart(start, null, default, settings.SegmentSeconds);
            }
        }
        finally
        {
            // Stopping: the running requests end with the stop token; what they wrote stays as .partial.
            try { await Task.WhenAll(running); } catch (OperationCanceledException) { /* stopped mid-segment */ }
            CloseGap(clock.GetUtcNow());
            status.Update(s => s.Without(camera));
        }
    }

    private async Task<SegmentEnd> RecordOneAsync(DateTimeOffset start, CancellationToken stop)
    {
        await Task.Yield(); // the loop must reach its timer before a fast segment completes
        if (!Directory.Exists(settings.Dir))
        {
            // Never created here: on an unmounted USB disk the folder would land on the SD card and fill it.
            return Failed(start, CameraRecording.DiskGone, $"{settings.Dir} does not exist (is the recording disk mounted?)", SegmentEnd.WriteFailed);
        }
        var final = Path.Combine(settings.Dir, SegmentPlan.RelativePath(camera, start));
        var opening = await go2rtc.OpenMp4Async(camera, SegmentPlan.RequestSeconds(settings.SegmentSeconds, settings.OverlapSeconds), stop);
        if (opening.Body is null) return Failed(start, CameraRecording.Offline, opening.Refusal ?? "no answer", SegmentEnd.NoMedia);

        var partial = final[..^SegmentPlan.Extension.Length] + SegmentPlan.PartialExtension;
        Writing(partial, add: true);
        WrittenSegment written;
        try
        {
            await using (opening.Body) written = await SegmentWriter.CopyAsync(opening.Body, final, clock, stop);
        }
        finally
        {
            Writing(partial, add: false);
        }
        if (written.Failure is { } failure)
        {
            WriteFailures.Failed(new WriteFailure(CameraDir, failure.Kind, failure.Cause, failure));
            return Failed(start, StateOf(failure.Kind), failure.Cause, SegmentEnd.WriteFailed);
        }
        if (written.FirstByte is not { } first)
            return Failed(start, CameraRecording.Offline, "go2rtc gave no media (camera offline?)", SegmentEnd.NoMedia);

        try
        {
            var dayDir = Path.GetDirectoryName(final)!;
            CloseGap(first);
            SegmentIndex.Append(dayDir, IndexEntry.ForSegment(Path.GetFileName(final), first, written.LastByte, written.Bytes));
            WriteFailures.Succeeded(CameraDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var f = WriteFailure.From(CameraDir, e);
            WriteFailures.Failed(f);
            return Failed(start, StateOf(f.Kind), "the index: " + f.Cause, SegmentEnd.WriteFailed);
        }
        lock (_gate) _lastMediaEnd = _lastMediaEnd is { } l && l > written.LastByte ? l : written.LastByte;
        status.Update(s =>
        {
            var c = Current(s).With(CameraRecording.Recording, null, clock.GetUtcNow());
            return s.Set(c with { Segments = c.Segments + 1, Bytes = c.Bytes + written.Bytes });
        });
        return SegmentEnd.Complete;
    }

    private static string StateOf(WriteFailureKind kind) => kind switch
    {
        WriteFailureKind.Full => "disk-full",
        WriteFailureKind.ReadOnly => "read-only",
        _ => "write-error",
    };

    private SegmentEnd Failed(DateTimeOffset start, string state, string reason, SegmentEnd end)
    {
        lock (_gate) _gap ??= (_lastMediaEnd ?? start, $"{state}: {reason}");
        var before = Current(status.Current);
        status.Update(s => s.Set(Current(s).With(state, reason, clock.GetUtcNow())));
        // Logged when it changes, not at every retry: a camera offline for a day is one line, not 17 000.
        if (before.State != state || before.Error != reason) log.LogWarning("recording {Camera}: {State}: {Reason}", camera, state, reason);
        return end;
    }

    /// <summary>Writes the open gap, if any, into the index of the day it began.</summary>
    private void CloseGap(DateTimeOffset end)
    {
        (DateTimeOffset Start, string Reason)? gap;
        lock (_gate) (gap, _gap) = (_gap, null);
        if (gap is not { } g || !Directory.Exists(settings.Dir)) return; // a missing record dir is never created
        var dayDir = Path.Combine(CameraDir, SegmentPlan.DayName(g.Start));
        try
        {
            Directory.CreateDirectory(dayDir);
            SegmentIndex.Append(dayDir, IndexEntry.ForGap(g.Start, end, g.Reason));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("recording {Camera}: the gap from {Start:O} could not be indexed: {Error}", camera, g.Start, e.Message);
        }
    }

    private void Writing(string partial, bool add) => status.Update(s =>
    {
        var c = Current(s);
        return s.Set(c with { Writing = add ? [.. c.Writing, partial] : [.. c.Writing.Where(p => p != partial)] });
    });

    private CameraRecording Current(RecordingStatus s) => s.Cameras.GetValueOrDefault(camera) ?? CameraRecording.Starting(camera, clock.GetUtcNow());
}
