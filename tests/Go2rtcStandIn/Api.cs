using System.Diagnostics;
using System.Text;

namespace Go2rtcStandIn;

/// <summary>go2rtc's HTTP API (internal/api, streams, mjpeg, webrtc) plus the /standin/* control routes.</summary>
internal static class Api
{
    public static volatile string ApiMode = "ok";
    private static readonly object StatsGate = new();
    private static readonly SortedDictionary<string, object?> RequestCounts = new(StringComparer.Ordinal);
    private static readonly SortedDictionary<string, object?> FrameCounts = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, long> FrameCacheAt = new();
    private static readonly object RequestLogGate = new();
    private static byte[]? _jpeg;

    public static byte[] Jpeg
    {
        get
        {
            if (_jpeg != null) return _jpeg;
            using var s = typeof(Api).Assembly.GetManifestResourceStream("frame.jpg")!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return _jpeg = ms.ToArray();
        }
    }

    public static async Task<Response> Handle(Request req)
    {
        lock (StatsGate) RequestCounts[req.Path] = (RequestCounts.GetValueOrDefault(req.Path) as int? ?? 0) + 1;

        if (req.Path.StartsWith("/standin/", StringComparison.Ordinal)) return await Standin(req);

        if (App.RequestLog is { } logPath)
        {
            var line = GoJson.Encode(new JObj().Add("time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                .Add("pid", Environment.ProcessId).Add("method", req.Method).Add("path", req.Path).Add("query", req.RawQuery));
            lock (RequestLogGate) { try { File.AppendAllText(logPath, line); } catch (IOException) { } }
        }

        string bp = App.BasePath;
        if (!req.Path.StartsWith(bp + "/", StringComparison.Ordinal)) return Response.Error(404, "404 page not found");
        string path = req.Path[bp.Length..];

        if (path == "/api" || path.StartsWith("/api/", StringComparison.Ordinal))
        {
            switch (ApiMode)
            {
                case "500": return Response.Error(500, "internal error");
                case "hang": return new Response { Hang = true };
                case "garbage": return Faults.GarbageAnswer();
            }
        }

        return path switch
        {
            "/api" => ApiInfo(req),
            "/api/schemes" => Response.Json(Streams.Schemes.Cast<object?>().ToList()),
            "/api/streams" => await ApiStreams(req),
            "/api/frame.jpeg" => await FrameJpeg(req),
            "/api/webrtc" => await WebRtc.Handle(req),
            "/api/stream.m3u8" => await Hls.Stream(req),
            "/api/hls/playlist.m3u8" => await Hls.Playlist(req),
            "/api/hls/segment.ts" or "/api/hls/segment.m4s" => Hls.File(req, "segment"),
            "/api/hls/init.mp4" => Hls.File(req, "init"),
            "/api/restart" => Restart(req),
            "/api/exit" => Exit(req),
            "/api/preload" => await Preload(req),
            "/api/stream.mp4" => await Mp4.Stream(req),
            "/api/config" => ConfigApi(req),
            "/api/log" => LogApi(req),
            "/" or "/index.html" => Response.Text("<!DOCTYPE html><html><body>go2rtc stand-in</body></html>\n", "text/html; charset=utf-8"),
            _ => Response.Error(404, "404 page not found"),
        };
    }

    private static Response ApiInfo(Request req)
    {
        var info = new JObj();
        if (Config.ConfigPath != "") info.Add("config_path", Config.ConfigPath);
        info.Add("host", req.Host).Add("revision", App.Revision);
        if (App.RtspListen != "") info.Add("rtsp", new JObj().Add("listen", App.RtspListen).Add("default_query", "video&audio"));
        info.Add("version", App.Version);
        return Response.Json(info);
    }

    // ---------------------------------------------------------------- /api/streams

    private static async Task<Response> ApiStreams(Request req)
    {
        var q = req.Query;
        string src = q.Get("src");
        if (src == "" && req.Method != "POST") return Response.Json(Streams.AllJson());

        switch (req.Method)
        {
            case "GET":
                {
                    var s = Streams.Get(src);
                    if (s == null) return Response.Error(404, "");
                    if (q.Has("video") || q.Has("audio") || q.Has("microphone"))
                    {
                        if (s.Camera == "offline") return Response.Error(500, "streams: dial tcp " + FirstHost(s) + ": i/o timeout");
                        var err = await Streams.DialAsync(s, 5000);
                        if (err != null) return Response.Error(500, err);
                        lock (Streams.Gate) s.ConsumersUsed = true;
                        Streams.Connect(s);
                        var resp = Response.Json(Streams.ToJson(s), pretty: true);
                        Streams.DisconnectIfIdle(s);
                        return resp;
                    }
                    return Response.Json(Streams.ToJson(s), pretty: true);
                }
            case "PUT":
                {
                    string name = q.Get("name");
                    if (name == "") name = src;
                    var sources = q.All("src");
                    foreach (var one in sources)
                        if (Streams.Validate(one) is { } verr) return Response.Error(400, verr);
                    Streams.Create(name, sources);
                    if (Config.PatchConfig(new[] { "streams", name }, sources) is { } perr) return Response.Error(400, perr);
                    return Response.Empty();
                }
            case "PATCH":
                {
                    string name = q.Get("name");
                    if (name == "") return Response.Error(400, "");
                    lock (Streams.Gate)
                    {
                        if (Streams.Map.TryGetValue(src, out var alias)) { Streams.Map[name] = alias; return Response.Empty(); }
                        if (Streams.Validate(src) is { } verr) return Response.Error(400, verr);
                        if (Streams.Map.TryGetValue(name, out var existing))
                            existing.Sources = existing.Sources.Select(_ => src).ToList();
                        else Streams.Map[name] = new StreamState { Sources = new List<string> { src } };
                    }
                    return Response.Empty();
                }
            case "POST":
                {
                    string dst = q.Get("dst");
                    if (dst == "") return Response.Error(400, "");
                    if (Streams.Get(dst) is { } d)
                    {
                        if (Streams.Validate(src) is { } verr) return Response.Error(400, verr);
                        return Response.Json(Streams.ToJson(d));
                    }
                    if (Streams.Get(src) != null)
                    {
                        if (Streams.Validate(dst) is { } verr) return Response.Error(400, verr);
                        return Response.Empty();
                    }
                    return Response.Error(404, "");
                }
            case "DELETE":
                {
                    lock (Streams.Gate) Streams.Map.Remove(src);
                    if (Config.PatchConfig(new[] { "streams", src }, null) is { } perr) return Response.Error(400, perr);
                    return Response.Empty();
                }
        }
        return Response.Empty();
    }

    internal static string FirstHost(StreamState s)
    {
        foreach (var src in s.Sources) if (Streams.Endpoint(src) is { } ep) return ep.Host + ":" + ep.Port;
        return "127.0.0.1:554";
    }

    // ---------------------------------------------------------------- /api/frame.jpeg

    private static async Task<Response> FrameJpeg(Request req)
    {
        var q = req.Query;
        string src = q.Get("src");
        var s = Streams.Get(src);
        if (s == null)
        {
            // streams.GetOrPatch: a source URL creates (and keeps) an in-memory stream
            if (src != "" && Streams.Validate(src) == null)
            {
                string name = q.Get("name");
                s = Streams.Create(name != "" ? name : src, new List<string> { src });
            }
            else return Response.Error(404, "stream not found");
        }
        lock (StatsGate) FrameCounts[src] = (FrameCounts.GetValueOrDefault(src) as int? ?? 0) + 1;

        if (q.Get("cache") is { Length: > 0 } cache && ParseGoDuration(cache) is { } ttl)
        {
            lock (StatsGate)
                if (FrameCacheAt.TryGetValue(src, out var at) && Stopwatch.GetElapsedTime(at) < ttl) return JpegResponse(Jpeg);
        }

        string? mode;
        lock (Streams.Gate) { mode = s.FrameMode; s.ConsumersUsed = true; }
        if (mode == null)
        {
            if (s.Camera == "offline")
            {
                LogProducerError(s, "dial tcp " + FirstHost(s) + ": i/o timeout");
                LogFrameError("streams: dial tcp " + FirstHost(s) + ": i/o timeout");
                return Response.Empty();
            }
            if (s.Camera == "stalled") return new Response { Hang = true };
            var err = await Streams.DialAsync(s, 5000);
            if (err != null) { LogProducerError(s, err.Replace("streams: ", "")); LogFrameError(err); return Response.Empty(); }
            mode = "ok";
        }

        switch (mode)
        {
            case "ok":
                await Task.Delay(App.FrameDelayMs);
                lock (StatsGate) FrameCacheAt[src] = Stopwatch.GetTimestamp();
                return JpegResponse(Jpeg);
            case "slow":
                await Task.Delay(s.SlowMs);
                return JpegResponse(Jpeg);
            case "empty":
                LogFrameError("streams: dial tcp " + FirstHost(s) + ": connect: connection refused");
                return Response.Empty();
            case "hang": return new Response { Hang = true };
            case "notfound": return Response.Error(404, "stream not found");
            case "error":
                await Task.Delay(Math.Min(App.FrameDelayMs, 180));
                return Response.Error(500, "fork/exec /nonexistent/ffmpeg: no such file or directory");
            case "oversized":
                {
                    var big = new byte[5 * 1024 * 1024];
                    Jpeg.AsSpan(0, Jpeg.Length - 2).CopyTo(big);
                    big[^2] = 0xFF; big[^1] = 0xD9;
                    return JpegResponse(big);
                }
            case "garbage":
                return JpegResponse(Encoding.ASCII.GetBytes("GARBAGE: this is not a JPEG image, just bytes from a confused transcoder\n"));
        }
        return Response.Empty();
    }

    // go2rtc's producer logs the failed source WITH its credentials (internal/streams/producer.go,
    // log.Error().Err(err).Str("url", p.url).Caller()); supervisors must redact what they show.
    private static void LogProducerError(StreamState s, string err) =>
        Log.Write("streams", Lvl.Error, "", "github.com/AlexxIT/go2rtc/internal/streams/producer.go:71",
            ("error", err), ("url", s.Sources.Count > 0 ? s.Sources[0] : ""));

    private static void LogFrameError(string err) =>
        Log.Write("mjpeg", Lvl.Error, "", "github.com/AlexxIT/go2rtc/internal/mjpeg/mjpeg.go:82", ("error", err));

    private static Response JpegResponse(byte[] body) => new Response { Body = body, Close = true }
        .Header("Content-Type", "image/jpeg").Header("Cache-Control", "no-cache")
        .Header("Connection", "close").Header("Pragma", "no-cache");

    public static TimeSpan? ParseGoDuration(string s)
    {
        double total = 0;
        int i = 0;
        if (s == "0") return TimeSpan.Zero;
        while (i < s.Length)
        {
            int st = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
            if (st == i || !double.TryParse(s[st..i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)) return null;
            int us = i;
            while (i < s.Length && !char.IsDigit(s[i]) && s[i] != '.') i++;
            double unit = s[us..i] switch { "ns" => 1e-9, "us" or "µs" => 1e-6, "ms" => 1e-3, "s" => 1, "m" => 60, "h" => 3600, _ => -1 };
            if (unit < 0) return null;
            total += n * unit;
        }
        return TimeSpan.FromSeconds(total);
    }

    // ---------------------------------------------------------------- others

    private static Response Restart(Request req)
    {
        if (req.Method != "POST") return Response.Error(400, "");
        return new Response { AfterSend = App.ReExec };
    }

    private static Response Exit(Request req)
    {
        if (req.Method != "POST") return Response.Error(400, "");
        if (!int.TryParse(req.Query.Get("code"), out int code) || code < 0 || code > 125)
            return Response.Error(400, "Code must be in the range [0, 125]");
        Native._exit(code);
        return Response.Empty();
    }

    private static async Task<Response> Preload(Request req)
    {
        if (req.Method == "GET")
        {
            var all = new SortedDictionary<string, object?>(StringComparer.Ordinal);
            lock (Streams.Gate)
                foreach (var (k, v) in Streams.Map)
                    if (v.PreloadQuery != null)
                        all[k] = new JObj().Add("consumer", new JObj().Add("id", 900).Add("format_name", "probe")).Add("query", v.PreloadQuery);
            return Response.Json(all);
        }
        var q = req.Query;
        string src = q.Get("src");
        switch (req.Method)
        {
            case "PUT":
                {
                    var kept = new List<KeyValuePair<string, string>>();
                    foreach (var k in new[] { "video", "audio", "microphone" })
                        foreach (var v in q.All(k)) kept.Add(new(k, v));
                    string raw = GoQuery.Encode(kept);
                    var err = await AddPreload(src, raw);
                    if (err != null) return Response.Error(500, err);
                    if (Config.PatchConfig(new[] { "preload", src }, raw) is { } perr) return Response.Error(500, perr);
                    return Response.Empty();
                }
            case "DELETE":
                {
                    var s = Streams.Get(src);
                    if (s == null || s.PreloadQuery == null) return Response.Error(500, "streams: preload not found");
                    lock (Streams.Gate) s.PreloadQuery = null;
                    Streams.DisconnectIfIdle(s);
                    if (Config.PatchConfig(new[] { "preload", src }, null) is { } perr) return Response.Error(500, perr);
                    return Response.Empty();
                }
        }
        return Response.Error(400, "");
    }

    public static async Task<string?> AddPreload(string name, string rawQuery)
    {
        if (rawQuery == "") rawQuery = "video&audio";
        var s = Streams.Get(name);
        if (s == null) return "streams: stream not found";
        if (s.Camera == "offline") return "streams: dial tcp " + FirstHost(s) + ": i/o timeout";
        var err = await Streams.DialAsync(s, 5000);
        if (err != null) return err;
        lock (Streams.Gate) { s.PreloadQuery = rawQuery; s.ConsumersUsed = true; }
        Streams.Connect(s);
        return null;
    }

    private static Response ConfigApi(Request req)
    {
        if (Config.ConfigPath == "") return Response.Error(410, "");
        switch (req.Method)
        {
            case "GET":
                try { return new Response { Body = File.ReadAllBytes(Config.ConfigPath) }.Header("Content-Type", "application/yaml"); }
                catch (Exception) { return Response.Error(404, ""); }
            case "POST":
                try { Config.ParseYaml(Encoding.UTF8.GetString(req.Body)); }
                catch (YamlDotNet.Core.YamlException e) { return Response.Error(500, Config.GoYamlError(e)); }
                return Native.WriteFile(Config.ConfigPath, req.Body) is { } werr ? Response.Error(500, werr) : Response.Empty();
            case "PATCH":
                return Response.Error(500, "go2rtc-standin: PATCH /api/config is not implemented");
        }
        return Response.Empty();
    }

    private static Response LogApi(Request req) => req.Method switch
    {
        "GET" => Response.Text(Log.MemoryDump(), "application/jsonlines"),
        "DELETE" => Clear(),
        _ => Response.Error(400, ""),
    };

    private static Response Clear() { Log.ClearMemory(); return Response.Text("OK", "text/plain"); }

    // ---------------------------------------------------------------- /standin/*

    private static readonly string[] FrameModes = { "ok", "empty", "hang", "notfound", "error", "oversized", "garbage", "slow", "auto" };

    private static async Task<Response> Standin(Request req)
    {
        var q = req.Query;
        switch (req.Path)
        {
            case "/standin/api":
                {
                    string mode = q.Get("mode");
                    if (mode is not ("ok" or "500" or "hang" or "garbage")) return Response.Error(400, "mode must be ok|500|hang|garbage");
                    ApiMode = mode;
                    return Response.Text("OK\n", "text/plain; charset=utf-8");
                }
            case "/standin/frame":
                {
                    var s = Streams.Get(q.Get("src"));
                    if (s == null) return Response.Error(404, "stream not found");
                    string mode = q.Get("mode");
                    if (!FrameModes.Contains(mode)) return Response.Error(400, "mode must be one of " + string.Join('|', FrameModes));
                    lock (Streams.Gate)
                    {
                        s.FrameMode = mode == "auto" ? null : mode;
                        if (int.TryParse(q.Get("delay_ms"), out int d)) s.SlowMs = d;
                    }
                    return Response.Text("OK\n", "text/plain; charset=utf-8");
                }
            case "/standin/camera":
                {
                    var s = Streams.Get(q.Get("src"));
                    if (s == null) return Response.Error(404, "stream not found");
                    string state = q.Get("state");
                    if (state is not ("live" or "stalled" or "offline")) return Response.Error(400, "state must be live|stalled|offline");
                    Streams.SetCamera(s, state);
                    bool wants;
                    lock (Streams.Gate) wants = s.PreloadQuery != null || s.Viewers > 0;
                    if (state == "live" && wants) Streams.Connect(s);
                    return Response.Text("OK\n", "text/plain; charset=utf-8");
                }
            case "/standin/consumer":
                {
                    var s = Streams.Get(q.Get("src"));
                    if (s == null) return Response.Error(404, "stream not found");
                    if (!int.TryParse(q.Get("count"), out int n) || n < 0) return Response.Error(400, "count must be >= 0");
                    lock (Streams.Gate) { s.Viewers = n; if (n > 0) s.ConsumersUsed = true; }
                    if (n > 0 && s.Camera != "offline" && await Streams.DialAsync(s, 2000) == null) Streams.Connect(s);
                    else Streams.DisconnectIfIdle(s);
                    return Response.Text("OK\n", "text/plain; charset=utf-8");
                }
            case "/standin/webrtc":
                return WebRtc.SetMode(q.Get("mode"));
            case "/standin/stats":
                lock (StatsGate)
                    return Response.Json(new JObj()
                        .Add("pid", Environment.ProcessId)
                        .Add("version", App.Version)
                        .Add("api_mode", ApiMode)
                        .Add("requests", new SortedDictionary<string, object?>(RequestCounts, StringComparer.Ordinal))
                        .Add("frames", new SortedDictionary<string, object?>(FrameCounts, StringComparer.Ordinal)));
        }
        return Response.Error(404, "404 page not found");
    }
}
