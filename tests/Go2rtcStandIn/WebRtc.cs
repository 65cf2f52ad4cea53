using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Go2rtcStandIn;

/// <summary>
/// <c>POST /api/webrtc?src=</c> with a real camera-side peer: offers go to one long-lived node
/// helper (webrtc-peer/peer.js, libwebrtc sending a VP8 test pattern) over JSON lines, and its
/// answer comes back shaped like go2rtc's (WHEP: 201 + application/sdp; JSON offers: 200 JSON),
/// with go2rtc's candidate filters and manual candidates applied from the config.
/// </summary>
internal static class WebRtc
{
    /// <summary>ok | codecs (500 codecs not matched) | hang (never answers) | noice (an answer without candidates: ICE fails)
    /// | slow (a real answer after 5 s: a WebRTC that connects after the player moved on).</summary>
    public static volatile string Mode = "ok";
    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static readonly Dictionary<int, TaskCompletionSource<(string? Sdp, string? Error)>> Pending = new();
    private static Process? _peer;
    private static int _nextId;

    public static async Task<Response> Handle(Request req)
    {
        if (req.Method == "OPTIONS") return new Response { Status = 204 };
        if (req.Method == "PATCH") return Response.Error(405, "");
        string src = req.Query.Get("src");
        var s = Streams.Get(src);
        if (s == null) return Response.Error(404, "stream not found");
        string type = req.Headers.GetValueOrDefault("Content-Type", "");
        string offer = Encoding.UTF8.GetString(req.Body);
        // go2rtc switches on the exact header value: "application/sdp; charset=utf-8" is not WHEP.
        bool json = type == "application/json";
        if (json)
        {
            try
            {
                using var doc = JsonDocument.Parse(req.Body);
                offer = doc.RootElement.GetProperty("sdp").GetString() ?? "";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return Response.Error(400, e.Message);
            }
        }

        switch (Mode)
        {
            case "hang": return new Response { Hang = true };
            case "codecs": return Response.Error(500, "streams: codecs not matched");
            case "slow": await Task.Delay(5000); break;
        }
        // Like go2rtc, the consumer is added to the stream first: an unreachable camera fails the offer.
        if (s.Camera == "offline") return Response.Error(500, "streams: dial tcp " + Api.FirstHost(s) + ": i/o timeout");
        if (await Streams.DialAsync(s, 5000) is { } dialErr)
        {
            Log.Write("webrtc", Lvl.Error, "", "github.com/AlexxIT/go2rtc/internal/webrtc/server.go:187", ("error", dialErr));
            return Response.Error(500, dialErr);
        }
        if (!offer.StartsWith("v=0", StringComparison.Ordinal)) return Response.Error(500, "webrtc: invalid offer: SDP does not start with v=0");

        // "noice": neither side learns an address of the other (the browser's are taken from the offer
        // too, or the peer would reach it and be found as peer-reflexive): ICE cannot connect.
        if (Mode == "noice") offer = Candidates(offer, dropAll: true);
        var (answer, error) = await AskPeer(offer);
        if (error != null) return Response.Error(500, error);
        answer = Candidates(answer!, Mode == "noice");
        lock (Streams.Gate) s.ConsumersUsed = true;

        if (json)
            return Response.Json(new JObj().Add("type", "answer").Add("sdp", answer));
        if (type == "application/sdp")
            return new Response { Status = 201, Body = Encoding.UTF8.GetBytes(answer) }.Header("Content-Type", "application/sdp");
        return new Response { Body = Encoding.UTF8.GetBytes(answer) }.Header("Content-Type", type);
    }

    private static async Task<(string? Sdp, string? Error)> AskPeer(string offer)
    {
        Process peer;
        try { peer = await Peer(); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException or IOException)
        {
            return (null, "go2rtc-standin: webrtc peer unavailable: " + e.Message);
        }
        int id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<(string?, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Pending) Pending[id] = tcs;
        try
        {
            string line = GoJson.Encode(new JObj().Add("id", id).Add("sdp", offer));
            lock (peer) { peer.StandardInput.Write(line); peer.StandardInput.Flush(); }
            return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            return (null, "go2rtc-standin: webrtc peer did not answer: " + e.Message);
        }
        finally { lock (Pending) Pending.Remove(id); }
    }

    /// <summary>The node helper, started on the first offer (most stand-ins never see one) and kept.</summary>
    private static async Task<Process> Peer()
    {
        await StartGate.WaitAsync();
        try
        {
            if (_peer is { HasExited: false } running) return running;
            string script = PeerScript();
            var psi = new ProcessStartInfo("node", [script])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false,
                UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(script)!,
            };
            var p = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = Task.Run(() => ReadAnswers(p, ready));
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
            _peer = p;
            return p;
        }
        finally { StartGate.Release(); }
    }

    private static async Task ReadAnswers(Process p, TaskCompletionSource ready)
    {
        while (await p.StandardOutput.ReadLineAsync() is { } line)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.TryGetProperty("ready", out _)) { ready.TrySetResult(); continue; }
                int id = root.GetProperty("id").GetInt32();
                TaskCompletionSource<(string?, string?)>? tcs;
                lock (Pending) Pending.TryGetValue(id, out tcs);
                if (root.TryGetProperty("error", out var err)) tcs?.TrySetResult((null, err.GetString()));
                else tcs?.TrySetResult((root.GetProperty("sdp").GetString(), null));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
        }
        ready.TrySetException(new IOException("the webrtc peer exited"));
    }

    /// <summary>STANDIN_WEBRTC_PEER, else webrtc-peer/peer.js of the repository the stand-in was built in.</summary>
    private static string PeerScript()
    {
        if (Environment.GetEnvironmentVariable("STANDIN_WEBRTC_PEER") is { Length: > 0 } env) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Go2rtcStandIn", "webrtc-peer", "peer.js");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("webrtc-peer/peer.js not found (set STANDIN_WEBRTC_PEER)");
    }

    /// <summary>
    /// go2rtc's candidate handling on the answer: gathered candidates pass webrtc.filters (loopback
    /// only when filters.loopback is true, filters.ips as an allowlist, filters.networks), mDNS names
    /// never, then every manual webrtc.candidates "host:port" entry is appended as a host candidate.
    /// </summary>
    private static string Candidates(string sdp, bool dropAll)
    {
        bool loopback = Config.Str("false", "webrtc", "filters", "loopback") == "true";
        var ips = StrList("webrtc", "filters", "ips");
        var networks = StrList("webrtc", "filters", "networks");
        var manual = StrList("webrtc", "candidates");
        var lines = sdp.Replace("\r\n", "\n").Split('\n').ToList();
        var kept = new List<string>();
        int index = 0;
        foreach (var line in lines)
        {
            if (line.StartsWith("a=candidate:", StringComparison.Ordinal))
            {
                if (!dropAll && Allowed(line, loopback, ips, networks)) kept.Add(line);
                continue;
            }
            // Without candidates a browser would still try the c=/m= address: make it the unreachable placeholder.
            if (dropAll && line.StartsWith("c=IN IP", StringComparison.Ordinal)) { kept.Add("c=IN IP4 0.0.0.0"); continue; }
            if (dropAll && line.StartsWith("m=", StringComparison.Ordinal))
            {
                var f = line.Split(' ');
                f[1] = "9";
                kept.Add(string.Join(' ', f));
                continue;
            }
            kept.Add(line);
            // after the first media section's attributes: the manual candidates (go2rtc bundles all media)
            if (line.StartsWith("a=mid:", StringComparison.Ordinal) && index++ == 0 && !dropAll)
                foreach (var c in manual)
                {
                    int colon = c.LastIndexOf(':');
                    if (colon <= 0 || c.StartsWith("stun:", StringComparison.Ordinal)) continue;
                    kept.Add($"a=candidate:manual{kept.Count} 1 udp 2130706431 {c[..colon]} {c[(colon + 1)..]} typ host");
                }
        }
        return string.Join("\r\n", kept);
    }

    private static bool Allowed(string line, bool loopback, List<string> ips, List<string> networks)
    {
        var f = line.Split(' ');
        if (f.Length < 8) return false;
        string proto = f[2].ToLowerInvariant(), address = f[4];
        if (!IPAddress.TryParse(address, out var ip)) return false; // mDNS .local names
        if (IPAddress.IsLoopback(ip) && !loopback) return false;
        if (ips.Count > 0 && !ips.Contains(address)) return false;
        string network = proto + (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "6" : "4");
        return networks.Count == 0 || networks.Contains(network);
    }

    private static List<string> StrList(params string[] path) =>
        Config.Get(path) is List<object?> l ? l.OfType<string>().ToList() : new List<string>();

    /// <summary>POST /standin/webrtc?mode=…</summary>
    public static Response SetMode(string mode)
    {
        if (mode is not ("ok" or "codecs" or "hang" or "noice" or "slow")) return Response.Error(400, "mode must be ok|codecs|hang|noice|slow");
        Mode = mode;
        return Response.Text("OK\n", "text/plain; charset=utf-8");
    }
}
