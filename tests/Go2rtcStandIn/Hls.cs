using System.Diagnostics;
using System.Text;

namespace Go2rtcStandIn;

/// <summary>
/// go2rtc's HLS output with go2rtc's URL shapes, the media made by ffmpeg (testsrc → H.264):
/// <c>GET /api/stream.m3u8?src=NAME[&amp;mp4]</c> starts a session and answers a master playlist
/// pointing at <c>hls/playlist.m3u8?id=ID</c>; the media playlist lists <c>segment.ts?id=ID&amp;n=N</c>
/// (MPEG-TS) or <c>init.mp4?id=ID</c> + <c>segment.m4s?id=ID&amp;n=N</c> (fMP4, when the query has
/// <c>mp4</c>); all relative, so a proxy that keeps the /api/ prefix needs no rewriting. A session
/// whose playlist is not fetched for 5 s ends (go2rtc's keepalive), and its ffmpeg with it.
/// </summary>
internal static class Hls
{
    private sealed class Session
    {
        public required string Id, Dir;
        public required bool Mp4;
        public required Process Ffmpeg;
        public long TouchedAt = Stopwatch.GetTimestamp();
    }

    private static readonly Dictionary<string, Session> Sessions = new();
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);
    private static int _reaper;

    public static async Task<Response> Stream(Request req)
    {
        var s = Streams.Get(req.Query.Get("src"));
        if (s == null) return Response.Error(404, "stream not found");
        // go2rtc logs the consumer error and writes nothing: 200 with an empty body.
        if (s.Camera == "offline" || await Streams.DialAsync(s, 5000) is not null) return Response.Empty();
        bool mp4 = req.Query.Has("mp4");
        var session = Start(mp4);
        if (session == null) return Response.Error(500, "go2rtc-standin: ffmpeg did not start");
        lock (Streams.Gate) s.ConsumersUsed = true;
        string codecs = mp4 ? ",CODECS=\"avc1.42c01e\"" : "";
        return Cors(Response.Text($"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=192000{codecs}\nhls/playlist.m3u8?id={session.Id}\n",
            "application/vnd.apple.mpegurl"));
    }

    public static async Task<Response> Playlist(Request req)
    {
        var session = Find(req);
        if (session == null) return Response.Error(404, "");
        // Chromium's native HLS refuses to start a live playlist of fewer than 3 segments
        // (DEMUXER_ERROR_COULD_NOT_PARSE, measured): answer once 3 are listed (bounded).
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 8;
        string? list = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            Touch(session);
            list = ReadList(session);
            if (list != null && list.Split("#EXTINF").Length > 3) break;
            await Task.Delay(100);
        }
        return Cors(Response.Text(list ?? "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n",
            "application/vnd.apple.mpegurl"));
    }

    public static Response File(Request req, string kind)
    {
        var session = Find(req);
        if (session == null) return Response.Error(404, "");
        Touch(session);
        string name = kind == "init" ? "init.mp4" : "seg" + req.Query.Get("n") + (session.Mp4 ? ".m4s" : ".ts");
        if (!int.TryParse(req.Query.Get("n"), out _) && kind != "init") return Response.Error(404, "");
        string path = Path.Combine(session.Dir, name);
        if (!System.IO.File.Exists(path)) return Response.Error(404, "");
        string type = kind == "init" || session.Mp4 ? "video/mp4" : "video/mp2t";
        return Cors(new Response { Body = System.IO.File.ReadAllBytes(path) }.Header("Content-Type", type));
    }

    private static Response Cors(Response r) => r.Header("Access-Control-Allow-Origin", "*");

    private static Session? Find(Request req)
    {
        lock (Sessions) return Sessions.GetValueOrDefault(req.Query.Get("id"));
    }

    private static void Touch(Session s) => Interlocked.Exchange(ref s.TouchedAt, Stopwatch.GetTimestamp());

    /// <summary>ffmpeg's own playlist, its segment file names turned into go2rtc's URLs.</summary>
    private static string? ReadList(Session s)
    {
        string text;
        try { text = System.IO.File.ReadAllText(Path.Combine(s.Dir, "index.m3u8")); }
        catch (IOException) { return null; }
        var sb = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("seg", StringComparison.Ordinal))
            {
                var n = line[3..line.IndexOf('.')];
                line = (s.Mp4 ? "segment.m4s" : "segment.ts") + "?id=" + s.Id + "&n=" + n;
            }
            else if (line.StartsWith("#EXT-X-MAP:", StringComparison.Ordinal)) line = "#EXT-X-MAP:URI=\"init.mp4?id=" + s.Id + "\"";
            if (line.Length > 0) sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static Session? Start(bool mp4)
    {
        string id = Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16].ToLowerInvariant();
        string dir = Path.Combine(Path.GetTempPath(), $"go2rtc-standin-hls-{Environment.ProcessId}-{id}");
        Directory.CreateDirectory(dir);
        // -t caps an orphan's life if the stand-in is SIGKILLed (a killed parent cannot stop it).
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
            "-t", "300", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline",
            "-pix_fmt", "yuv420p", "-g", "8", "-an", "-f", "hls", "-hls_time", "0.5", "-hls_list_size", "6",
            "-hls_flags", "delete_segments+temp_file+independent_segments", "-hls_delete_threshold", "4",
        };
        if (mp4) args.AddRange(["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", Path.Combine(dir, "seg%d.m4s")]);
        else args.AddRange(["-hls_segment_filename", Path.Combine(dir, "seg%d.ts")]);
        args.Add(Path.Combine(dir, "index.m3u8"));
        var psi = new ProcessStartInfo("ffmpeg", args) { UseShellExecute = false, WorkingDirectory = dir };
        Process? p;
        try { p = Process.Start(psi); }
        catch (System.ComponentModel.Win32Exception) { return null; }
        if (p == null) return null;
        var session = new Session { Id = id, Dir = dir, Mp4 = mp4, Ffmpeg = p };
        lock (Sessions) Sessions[id] = session;
        if (Interlocked.Exchange(ref _reaper, 1) == 0) new Thread(Reap) { IsBackground = true }.Start();
        return session;
    }

    /// <summary>Ends sessions nobody fetched for the keepalive time.</summary>
    private static void Reap()
    {
        while (true)
        {
            Thread.Sleep(1000);
            List<Session> idle;
            lock (Sessions)
            {
                idle = Sessions.Values.Where(s => Stopwatch.GetElapsedTime(Interlocked.Read(ref s.TouchedAt)) > KeepAlive).ToList();
                foreach (var s in idle) Sessions.Remove(s.Id);
            }
            foreach (var s in idle)
            {
                try { s.Ffmpeg.Kill(); s.Ffmpeg.WaitForExit(2000); } catch (InvalidOperationException) { }
                try { Directory.Delete(s.Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>On the stand-in's exit: no ffmpeg and no segment directory outlives it.</summary>
    public static void StopAll()
    {
        List<Session> all;
        lock (Sessions) { all = Sessions.Values.ToList(); Sessions.Clear(); }
        foreach (var s in all)
        {
            try { s.Ffmpeg.Kill(); } catch (InvalidOperationException) { }
            try { Directory.Delete(s.Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
