using System.Diagnostics;
using System.Net.Sockets;

namespace Go2rtcStandIn;

/// <summary>One go2rtc stream with a simulated camera behind each source.</summary>
internal sealed class StreamState
{
    public List<string> Sources = new();
    public bool ConsumersUsed;          // consumers: null before first use, [] after
    public int Viewers;                 // simulated long-lived consumers (/standin/consumer)
    public string? PreloadQuery;        // non-null: preloaded (permanent consumer)
    public string? FrameMode;           // null = automatic (from reachability)
    public string? Camera;              // null = automatic; live | stalled | offline
    public int SlowMs = 10_000;
    // simulated producer
    public int ProducerId;
    public long ConnectedAt;            // Stopwatch ticks when bytes started counting
    public double FrozenBytes;          // bytes when stalled
    public bool Connected;
    public string RemoteAddr = "";
}

internal static class Streams
{
    public static readonly object Gate = new();
    public static readonly Dictionary<string, StreamState> Map = new(StringComparer.Ordinal);
    private static int _nextId = 1;
    public const double BytesPerSecond = 50_000;

    public static readonly string[] Schemes =
    {
        "alsa", "bubble", "doorbird", "dvrip", "echo", "eseecloud", "exec", "expr", "ffmpeg", "flussonic", "gopro",
        "hass", "homekit", "http", "https", "httpx", "isapi", "ivideon", "kasa", "mpegts", "nest", "onvif", "ring",
        "roborock", "rtmp", "rtmps", "rtmpx", "rtsp", "rtsps", "rtspx", "tapo", "tcp", "tuya", "v4l2", "vigi",
        "webrtc", "webtorrent", "wyze", "xiaomi", "yandex",
    };
    private static readonly HashSet<string> Insecure = new() { "exec", "echo", "expr" };

    public static string? Scheme(string src)
    {
        int i = src.IndexOf(':');
        return i > 0 ? src[..i] : null;
    }

    /// <summary>streams.New validation, 1.9.14 order: unknown scheme, insecure producer, whitespace.</summary>
    public static string? Validate(string src)
    {
        var scheme = Scheme(src);
        if (scheme == null || !Schemes.Contains(scheme)) return "streams: source not supported";
        if (Insecure.Contains(scheme)) return "streams: source from insecure producer";
        if (src.Any(c => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')) return "streams: source with spaces may be insecure";
        return null;
    }

    public static StreamState Create(string name, List<string> sources)
    {
        var s = new StreamState { Sources = sources };
        lock (Gate) Map[name] = s;
        return s;
    }

    public static StreamState? Get(string name) { lock (Gate) return Map.GetValueOrDefault(name); }

    /// <summary>(host, port) of a network source, or null for a local/exec-like source.</summary>
    public static (string Host, int Port)? Endpoint(string src)
    {
        int hash = src.IndexOf('#');
        if (hash >= 0) src = src[..hash];
        if (src.StartsWith("ffmpeg:", StringComparison.Ordinal)) src = src[7..];
        if (!Uri.TryCreate(src, UriKind.Absolute, out var u) || string.IsNullOrEmpty(u.Host)) return null;
        int port = u.Port > 0 ? u.Port : u.Scheme switch
        {
            "rtsp" or "rtspx" => 554, "rtsps" => 322, "rtmp" or "rtmpx" => 1935, "rtmps" => 443,
            "http" or "httpx" => 80, "https" => 443, "onvif" => 80, _ => -1,
        };
        if (port <= 0) return null;
        var host = u.Host.Trim('[', ']');
        return (host, port);
    }

    /// <summary>Dials the first network source like go2rtc would. Null = connected, else Go's error text.</summary>
    public static async Task<string?> DialAsync(StreamState s, int timeoutMs)
    {
        List<string> sources;
        lock (Gate) sources = s.Sources.ToList();
        if (sources.Count == 0) return "streams: no producers";
        string? err = null;
        foreach (var src in sources)
        {
            var ep = Endpoint(src);
            if (ep == null) return null; // exec:/ffmpeg:<name>/… : treated as a working local producer
            var (host, port) = ep.Value;
            using var sock = new Socket(SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(timeoutMs);
            try
            {
                await sock.ConnectAsync(host, port, cts.Token);
                lock (Gate) s.RemoteAddr = host + ":" + port;
                return null;
            }
            catch (OperationCanceledException) { err = $"streams: dial tcp {host}:{port}: i/o timeout"; }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            { err = $"streams: dial tcp {host}:{port}: connect: connection refused"; }
            catch (SocketException e) { err = $"streams: dial tcp {host}:{port}: " + e.Message.ToLowerInvariant(); }
        }
        return err;
    }

    /// <summary>Marks the producer connected (bytes start rising) when a consumer/preload attaches.</summary>
    public static void Connect(StreamState s)
    {
        lock (Gate)
        {
            if (s.Connected) return;
            s.Connected = true;
            s.ProducerId = Interlocked.Increment(ref _nextId);
            s.ConnectedAt = Stopwatch.GetTimestamp();
            s.FrozenBytes = 0;
        }
    }

    public static void DisconnectIfIdle(StreamState s)
    {
        lock (Gate) if (s.PreloadQuery == null && s.Viewers == 0) s.Connected = false;
    }

    public static double BytesRecv(StreamState s)
    {
        if (s.Camera == "stalled") return s.FrozenBytes;
        return s.FrozenBytes + Stopwatch.GetElapsedTime(s.ConnectedAt).TotalSeconds * BytesPerSecond;
    }

    public static void SetCamera(StreamState s, string state)
    {
        lock (Gate)
        {
            if (s.Connected && s.Camera != "stalled" && state == "stalled") s.FrozenBytes = BytesRecv(s);
            if (s.Connected && s.Camera == "stalled" && state != "stalled") s.ConnectedAt = Stopwatch.GetTimestamp();
            s.Camera = state;
            if (state == "offline") s.Connected = false;
        }
    }

    public static object? ToJson(StreamState s)
    {
        lock (Gate)
        {
            List<object?>? producers = null;
            if (s.Sources.Count > 0)
            {
                producers = new();
                for (int i = 0; i < s.Sources.Count; i++)
                {
                    var src = s.Sources[i];
                    if (i == 0 && s.Connected && s.Camera != "offline")
                    {
                        int hash = src.IndexOf('#');
                        long bytes = (long)BytesRecv(s);
                        producers.Add(new JObj()
                            .Add("id", s.ProducerId)
                            .Add("format_name", "rtsp")
                            .Add("protocol", "rtsp+tcp")
                            .Add("remote_addr", s.RemoteAddr.Length > 0 ? s.RemoteAddr : "127.0.0.1:554")
                            .Add("url", hash >= 0 ? src[..hash] : src)
                            .Add("user_agent", "go2rtc/" + App.Version)
                            .Add("medias", new List<object?> { "video, recvonly, H264" })
                            .Add("receivers", new List<object?> {
                                new JObj().Add("id", s.ProducerId + 1000)
                                    .Add("codec", new JObj().Add("codec_name", "h264").Add("codec_type", "video"))
                                    .Add("bytes", bytes).Add("packets", bytes / 1200) })
                            .Add("bytes_recv", bytes));
                    }
                    else producers.Add(new JObj().Add("url", src));
                }
            }
            List<object?>? consumers = null;
            int n = s.Viewers + (s.PreloadQuery != null ? 1 : 0);
            if (s.ConsumersUsed || n > 0)
            {
                consumers = new();
                for (int i = 0; i < n; i++)
                {
                    bool preload = s.PreloadQuery != null && i == 0;
                    var c = new JObj().Add("id", 900 + i).Add("format_name", preload ? "probe" : "webrtc/json");
                    if (!preload) c.Add("protocol", "http+udp").Add("remote_addr", "127.0.0.1:5" + (1000 + i));
                    consumers.Add(c);
                }
            }
            return new JObj().Add("producers", producers).Add("consumers", consumers);
        }
    }

    public static SortedDictionary<string, object?> AllJson()
    {
        var all = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        lock (Gate) foreach (var (k, v) in Map) all[k] = ToJson(v);
        return all;
    }
}
