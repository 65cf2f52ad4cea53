using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Go2rtcStandIn;

/// <summary>Process-wide state and the go2rtc main(): flags, config, logs, listeners, signals, fault switches.</summary>
internal static class App
{
    public static string Version = "1.9.14";
    public const string Revision = "b5948cf";
    public static string Arch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", Architecture.Arm => "arm", Architecture.X86 => "386",
        var a => a.ToString().ToLowerInvariant(),
    };
    public static string BasePath = "";
    public static string RtspListen = "";
    public static string? RequestLog;
    public static int FrameDelayMs = 300;
    private static readonly List<Socket> Keep = new();

    public static int Main(string[] args)
    {
        var confs = (List<string>?)null;
        bool version = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith('-') || a == "-" ) break; // Go's flag stops at the first non-flag
            if (a == "--") break;
            string name = a.TrimStart('-');
            string? value = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            switch (name)
            {
                case "c" or "config":
                    if (value == null)
                    {
                        if (i + 1 >= args.Length) { Usage("flag needs an argument: -" + name); return 2; }
                        value = args[++i];
                    }
                    (confs ??= new()).Add(value);
                    break;
                case "v" or "version": version = value is null or "true" or "1"; break;
                case "d" or "daemon": break; // ignored: always foreground
                case "h" or "help": Console.Out.Write(UsageText); return 0;
                default: Usage("flag provided but not defined: -" + name); return 2;
            }
        }

        if (Env("STANDIN_VERSION") is { Length: > 0 } v) Version = v;
        if (version)
        {
            if (Env("STANDIN_VERSION_HANG") == "1") Thread.Sleep(Timeout.Infinite);
            if (Env("STANDIN_VERSION_FAIL") == "1") { Console.Error.WriteLine("go2rtc-standin: simulated --version failure"); return 1; }
            // The first line is go2rtc's; the second tells the appliance, honestly, that this is not go2rtc.
            Log.WriteFd(1, Encoding.UTF8.GetBytes($"go2rtc version {Version} ({Revision}) linux/{Arch}\nLightNVR go2rtc stand-in: for tests and the demo, not go2rtc\n"));
            return 0;
        }

        if (Env("STANDIN_START_LOG") is { Length: > 0 } startLog)
            try { File.AppendAllText(startLog, Environment.ProcessId + "\n"); } catch (IOException) { }
        RequestLog = Env("STANDIN_REQUEST_LOG") is { Length: > 0 } rl ? rl : null;
        if (int.TryParse(Env("STANDIN_FRAME_DELAY_MS"), out int fd) && fd >= 0) FrameDelayMs = fd;

        Config.Load(confs);
        // The appliance spawns go2rtc with a clean environment, so a published binary cannot pass STANDIN_* to it: the
        // bench writes them into go2rtc.yaml's `standin:` section instead (a real go2rtc ignores unknown keys).
        if (Env("STANDIN_START_LOG") is not { Length: > 0 } && Config.Str("", "standin", "start_log") is { Length: > 0 } cfgStartLog)
            try { File.AppendAllText(cfgStartLog, Environment.ProcessId + "\n"); } catch (IOException) { }
        if (RequestLog == null && Config.Str("", "standin", "request_log") is { Length: > 0 } cfgRequestLog) RequestLog = cfgRequestLog;
        var modules = new Dictionary<string, string>();
        if (Config.Get("log") is Dictionary<string, object?> logCfg)
            foreach (var (k, val) in logCfg)
                if (k is not ("level" or "format" or "output" or "time") && val is string s) modules[k] = s;
        Log.Configure(Config.Str("", "log", "format"), Config.Str("info", "log", "level"), modules, Config.Str("stdout", "log", "output"));

        Log.Info("", "go2rtc", ("version", Version), ("platform", "linux/" + Arch), ("revision", Revision));
        if (Config.ConfigPath != "") Log.Info("", "config", ("path", Config.ConfigPath));
        foreach (var w in Config.Warnings) Log.Write("", Lvl.Warn, "", null, ("error", w));

        if (Env("STANDIN_CRASH_AT_START") == "1") Panic(1, "runtime error: invalid memory address or nil pointer dereference");
        if (Env("STANDIN_GARBAGE_OUTPUT") == "1") Faults.StartGarbageOutput();
        Api.ApiMode = Faults.ApiMode();

        InstallSignals();

        BasePath = Config.Str("", "api", "base_path").TrimEnd('/');
        RtspListen = Config.Str(":8554", "rtsp", "listen");
        StartRtsp();
        StartApi(Config.Str(":1984", "api", "listen"));
        StartWebrtc(Config.Str(":8555", "webrtc", "listen"));
        LoadStreams();

        if (int.TryParse(Env("STANDIN_GROW_RSS_MB_PER_S"), out int growMb) && growMb > 0)
            new Thread(() => Grow(growMb)) { IsBackground = true }.Start();
        if (int.TryParse(Env("STANDIN_CRASH_AFTER_MS"), out int crashMs) && crashMs >= 0)
            new Thread(() => { Thread.Sleep(crashMs); Panic(77, "send on closed channel"); }) { IsBackground = true }.Start();
        if (long.TryParse(Env("STANDIN_LOG_FLOOD_BYTES"), out long flood) && flood > 0)
            new Thread(() => Flood(flood)) { IsBackground = true }.Start();

        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    private static string? Env(string name) => Faults.Get(name);

    // A leak like go2rtc's reported ones (#1313, #675): resident memory grows steadily and is never freed.
    private static readonly List<byte[]> Leak = new();

    private static void Grow(int mbPerSecond)
    {
        while (true)
        {
            for (int i = 0; i < mbPerSecond * 10; i++)
            {
                var chunk = new byte[100 * 1024];
                for (int k = 0; k < chunk.Length; k += 4096) chunk[k] = 1; // touch every page: resident, not just reserved
                lock (Leak) Leak.Add(chunk);
            }
            Thread.Sleep(1000);
        }
    }

    private const string UsageText = "Usage of go2rtc:\n\n  -c, --config   Path to config file or config string as YAML or JSON, support multiple\n  -d, --daemon   Run in background\n  -v, --version  Print version and exit\n";

    private static void Usage(string err)
    {
        Console.Error.Write(err + "\n" + UsageText);
    }

    // ---------------------------------------------------------------- listeners

    private static void StartApi(string listen)
    {
        if (listen == "") return;
        var (sock, err) = HttpServer.Listen(listen);
        if (sock == null) { Log.Error("api", "[api] listen", ("error", err!)); return; }
        Keep.Add(sock);
        Log.Info("api", "[api] listen", ("addr", listen));
        HttpServer.AcceptLoop(sock, c => HttpServer.ServeHttp(c, Api.Handle));
    }

    private static void StartRtsp()
    {
        if (RtspListen == "") return;
        var (sock, err) = HttpServer.Listen(RtspListen);
        if (sock == null) { Log.Error("rtsp", "[rtsp] listen", ("error", err!)); return; }
        Keep.Add(sock);
        Log.Info("rtsp", "[rtsp] listen", ("addr", RtspListen));
        // A real RTSP server is out of scope: accept and close.
        HttpServer.AcceptLoop(sock, c => { try { c.Shutdown(SocketShutdown.Both); } catch (SocketException) { } c.Dispose(); return Task.CompletedTask; });
    }

    private static void StartWebrtc(string listen)
    {
        // ":8555" = TCP+UDP fixed; ":8555/tcp" = TCP fixed + random UDP; "" = random UDP only
        string addr = listen, udpAddr = listen;
        bool tcp = listen != "";
        if (listen.EndsWith("/tcp", StringComparison.Ordinal)) { addr = listen[..^4]; udpAddr = HostPart(addr) + ":0"; }
        else if (listen.EndsWith("/udp", StringComparison.Ordinal)) { tcp = false; udpAddr = listen[..^4]; }
        if (listen == "") udpAddr = ":0";
        if (tcp)
        {
            var (t, err) = HttpServer.Listen(addr);
            if (t == null) Log.Error("webrtc", "[webrtc] listen tcp", ("error", err!));
            else
            {
                Keep.Add(t);
                Log.Info("webrtc", "[webrtc] listen tcp", ("addr", GoAddr(t.LocalEndPoint)));
                HttpServer.AcceptLoop(t, c => { c.Dispose(); return Task.CompletedTask; });
            }
        }
        var (u, uerr) = HttpServer.Listen(udpAddr, SocketType.Dgram);
        if (u == null) Log.Error("webrtc", "[webrtc] listen udp", ("error", uerr!));
        else { Keep.Add(u); Log.Info("webrtc", "[webrtc] listen udp", ("addr", GoAddr(u.LocalEndPoint))); }
    }

    private static string HostPart(string addr) { int c = addr.LastIndexOf(':'); return c < 0 ? "" : addr[..c]; }

    private static string GoAddr(EndPoint? ep) => ep is IPEndPoint ip
        ? (ip.Address.Equals(IPAddress.IPv6Any) ? "[::]" : ip.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + ip.Address + "]" : ip.Address.ToString()) + ":" + ip.Port
        : ep?.ToString() ?? "";

    private static void LoadStreams()
    {
        if (Config.Get("streams") is Dictionary<string, object?> streams)
            foreach (var (name, val) in streams)
            {
                var list = val switch
                {
                    string s => new List<string> { s },
                    List<object?> l => l.OfType<string>().ToList(),
                    _ => new List<string>(),
                };
                Streams.Create(name, list);
            }
        if (Config.Get("preload") is Dictionary<string, object?> preload)
            foreach (var (name, val) in preload)
            {
                string q = val as string ?? "";
                _ = Task.Run(async () =>
                {
                    if (await Api.AddPreload(name, q) is { } err)
                        Log.Write("streams", Lvl.Error, "", "github.com/AlexxIT/go2rtc/internal/streams/preload.go:17", ("error", err));
                });
            }
    }

    // ---------------------------------------------------------------- signals, restart, faults

    private static readonly List<PosixSignalRegistration> Signals = new();

    private static void InstallSignals()
    {
        // Note: unlike Go's signal.Notify, .NET keeps SIGINT ignored when the parent started us with it ignored
        // (e.g. a background job of a non-interactive shell). Supervisors reset dispositions, so this is moot.
        Signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => ExitWithSignal("terminated")));
        Signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => ExitWithSignal("interrupt")));
        // SIGHUP keeps its default action (terminate by signal), as in go2rtc.
        Native.signal(Native.SIGHUP, IntPtr.Zero);
    }

    private static void ExitWithSignal(string name)
    {
        WriteStderr("exit with signal: " + name + "\n");
        Hls.StopAll();
        Mp4.StopAll();
        Native._exit(0);
    }

    private static void WriteStderr(string text)
    {
        Log.WriteFd(2, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>/api/restart: execve of /proc/self/exe with the original argv; same PID, same stdio.</summary>
    public static void ReExec()
    {
        string[] argv;
        try { argv = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0'); }
        catch (IOException) { argv = Environment.GetCommandLineArgs(); }
        int errno = Native.ExecSelf(argv);
        Log.Error("api", "[api] restart", ("error", "exec: " + Native.ErrnoText(errno)));
    }

    private static void Panic(int goroutine, string what)
    {
        WriteStderr(
            $"panic: {what}\n" +
            (what.StartsWith("runtime error", StringComparison.Ordinal) ? "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x9c4b2e]\n" : "") +
            $"\ngoroutine {goroutine} [running]:\n" +
            "github.com/AlexxIT/go2rtc/internal/streams.(*Stream).AddConsumer(0x0, {0xc0a1b0, 0xc0001a2000})\n" +
            "\t/build/internal/streams/add_consumer.go:21 +0x2e\n" +
            "github.com/AlexxIT/go2rtc/internal/streams.Init()\n" +
            "\t/build/internal/streams/streams.go:47 +0x1a5\n" +
            "main.main()\n" +
            "\t/build/main.go:52 +0x85\n");
        Native._exit(2);
    }

    private static void Flood(long bytes)
    {
        bool json = Config.Str("", "log", "format") == "json";
        long written = 0;
        int n = 0;
        while (written < bytes)
        {
            var now = DateTimeOffset.Now;
            var fields = new[] { ("error", $"streams: dial tcp 10.0.0.{n % 250 + 1}:554: i/o timeout"), ("url", $"rtsp://10.0.0.{n % 250 + 1}:554/stream{n}") };
            string line = json ? Log.FormatJson(Lvl.Warn, "[rtsp] flood", null, fields, now) : Log.FormatText(Lvl.Warn, "[rtsp] flood", null, fields, now);
            Log.WriteRaw(line);
            written += Encoding.UTF8.GetByteCount(line);
            n++;
        }
        // A marker for tests that wait until the whole flood went through the pipe (not a go2rtc line).
        var end = new[] { ("bytes", written.ToString()), ("lines", n.ToString()) };
        Log.WriteRaw(json ? Log.FormatJson(Lvl.Info, "[standin] flood done", null, end, DateTimeOffset.Now)
                          : Log.FormatText(Lvl.Info, "[standin] flood done", null, end, DateTimeOffset.Now));
    }
}
