using System.Diagnostics;
using System.Globalization;

namespace Go2rtcStandIn;

/// <summary>
/// go2rtc's <c>GET /api/stream.mp4?src=NAME[&amp;duration=SECONDS]</c>: fragmented MP4 (H.264, no audio)
/// made by ffmpeg from testsrc and written to the client as it is produced. As in go2rtc: an unknown
/// stream is 404 <c>stream not found</c>, the content type names the codec, <c>duration</c> ends the
/// consumer after that many seconds, and the consumer ends when the client leaves (ffmpeg is killed).
/// The stand-in's own rule for a camera that is offline or stalled when the request comes: 200 and no
/// media until the client leaves or the duration ends, still counted as a viewer (the keep-alive
/// consumer depends on a long-lived answer).
/// </summary>
internal static class Mp4
{
    // avc1.42C01E = Constrained Baseline, level 3.0: what the ffmpeg arguments below produce.
    public const string ContentType = "video/mp4; codecs=\"avc1.42C01E\"";
    private static readonly HashSet<Process> Running = new();

    public static async Task<Response> Stream(Request req)
    {
        var s = Streams.Get(req.Query.Get("src"));
        if (s == null) return Response.Error(404, "stream not found");
        int duration = int.TryParse(req.Query.Get("duration"), NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : 0;
        lock (Streams.Gate) { s.Viewers++; s.ConsumersUsed = true; }
        bool live = s.Camera is not ("offline" or "stalled") && await Streams.DialAsync(s, 2000) == null;
        if (live) Streams.Connect(s);
        // The request's wall-clock time goes into the file (mvhd creation_time), so consecutive
        // segments can be placed on one time line.
        var startedAt = DateTime.UtcNow;
        return new Response
        {
            Streaming = body => live ? Pipe(body, duration, startedAt) : Idle(body, duration),
            AfterSend = () =>
            {
                lock (Streams.Gate) s.Viewers = Math.Max(0, s.Viewers - 1);
                Streams.DisconnectIfIdle(s);
            },
        }.Header("Content-Type", ContentType).Header("Cache-Control", "no-cache").Header("Connection", "close");
    }

    private static async Task Pipe(Stream body, int duration, DateTime startedAt)
    {
        var p = StartFfmpeg(duration, startedAt);
        if (p == null) return;
        lock (Running) Running.Add(p);
        // -t bounds the media; the wall-clock limit is the go2rtc rule and catches a stuck ffmpeg.
        using var cancel = duration > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(duration + 5)) : new CancellationTokenSource();
        try
        {
            var media = p.StandardOutput.BaseStream;
            var buf = new byte[32 * 1024];
            int n;
            while ((n = await media.ReadAsync(buf, cancel.Token)) > 0)
            {
                await body.WriteAsync(buf.AsMemory(0, n), cancel.Token);
                await body.FlushAsync(cancel.Token);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { } // the client left
        finally
        {
            lock (Running) Running.Remove(p);
            try { p.Kill(); } catch (InvalidOperationException) { }
            p.WaitForExit(2000);
            p.Dispose();
        }
    }

    /// <summary>No media: wait until the client leaves (its socket reads 0) or the duration ends.</summary>
    private static async Task Idle(Stream body, int duration)
    {
        var left = Task.Run(async () =>
        {
            var sink = new byte[512];
            try { while (await body.ReadAsync(sink) > 0) { } }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
        });
        if (duration > 0) await Task.WhenAny(left, Task.Delay(TimeSpan.FromSeconds(duration)));
        else await left;
    }

    private static Process? StartFfmpeg(int duration, DateTime startedAt)
    {
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15" };
        if (duration > 0) args.AddRange(["-t", duration.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange([
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-level", "3.0",
            "-pix_fmt", "yuv420p", "-g", "15", "-an",
            "-metadata", "creation_time=" + startedAt.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            // Small fragments (0.2 s) like go2rtc's per-frame ones, so a player starts without waiting a GOP;
            // no mfra trailer, which go2rtc never writes either.
            "-movflags", "frag_keyframe+empty_moov+default_base_moof+skip_trailer", "-frag_duration", "200000", "-f", "mp4", "pipe:1",
        ]);
        // A killed stand-in closes the pipe: ffmpeg's next write fails and it exits, so no orphan.
        var psi = new ProcessStartInfo("ffmpeg", args) { UseShellExecute = false, RedirectStandardOutput = true };
        try { return Process.Start(psi); }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    /// <summary>On the stand-in's exit: no ffmpeg outlives it.</summary>
    public static void StopAll()
    {
        List<Process> all;
        lock (Running) all = Running.ToList();
        foreach (var p in all) try { p.Kill(); } catch (InvalidOperationException) { }
    }
}
