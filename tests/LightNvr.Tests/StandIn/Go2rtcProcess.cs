using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace LightNvr.Tests.StandIn;

/// <summary>Runs the go2rtc stand-in (or a real go2rtc when GO2RTC_BINARY is set) in a private temp dir.</summary>
public sealed class Go2rtcProcess : IAsyncDisposable
{
    public static readonly string? RealBinary = Environment.GetEnvironmentVariable("GO2RTC_BINARY") is { Length: > 0 } b ? b : null;
    public static bool IsReal => RealBinary != null;

    public static string BinaryPath
    {
        get
        {
            if (RealBinary != null) return RealBinary;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "LightNvr.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("repo root (LightNvr.sln) not found above " + AppContext.BaseDirectory);
            var path = Path.Combine(dir.FullName, "build", "standin", "go2rtc-standin");
            if (!File.Exists(path))
                throw new InvalidOperationException($"{path} is missing: build it with `dotnet publish tests/Go2rtcStandIn -c Release -o build/standin`");
            return path;
        }
    }

    public Process Process { get; }
    public string Dir { get; }
    public int ApiPort { get; }
    public readonly ConcurrentQueue<string> Stdout = new();
    public readonly ConcurrentQueue<string> Stderr = new();

    private Go2rtcProcess(Process p, string dir, int apiPort) { Process = p; Dir = dir; ApiPort = apiPort; }

    public static int FreePort() => LightNvr.Tests.Support.Ports.Free();

    /// <summary>Writes go2rtc.yaml (api/rtsp on free loopback ports + <paramref name="extraYaml"/>) and starts the binary.</summary>
    public static Go2rtcProcess Start(string extraYaml = "", int? apiPort = null, IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? env = null)
    {
        Console.WriteLine($"go2rtc under test: {BinaryPath}{(IsReal ? " (real go2rtc from GO2RTC_BINARY)" : " (stand-in)")}");
        var dir = Directory.CreateTempSubdirectory("standin-test-").FullName;
        int api = apiPort ?? FreePort();
        int rtsp = FreePort();
        File.WriteAllText(Path.Combine(dir, "go2rtc.yaml"),
            $"api:\n  listen: \"127.0.0.1:{api}\"\nrtsp:\n  listen: \"127.0.0.1:{rtsp}\"\nwebrtc:\n  listen: \"\"\n  ice_servers: []\n" + extraYaml);
        var psi = new ProcessStartInfo(BinaryPath)
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("./go2rtc.yaml");
        foreach (var a in extraArgs ?? []) psi.ArgumentList.Add(a);
        psi.Environment["STANDIN_FRAME_DELAY_MS"] = "20";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi };
        var g = new Go2rtcProcess(p, dir, api);
        p.OutputDataReceived += (_, e) => { if (e.Data != null) g.Stdout.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) g.Stderr.Enqueue(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return g;
    }

    public string ConfigFile => Path.Combine(Dir, "go2rtc.yaml");

    public static async Task<bool> WaitUntil(Func<bool> cond, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (cond()) return true;
            await Task.Delay(10);
        }
        return cond();
    }

    public static async Task<bool> WaitUntil(Func<Task<bool>> cond, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await cond()) return true;
            await Task.Delay(10);
        }
        return await cond();
    }

    public Task<bool> WaitForLine(Func<string, bool> match, TimeSpan timeout) => WaitUntil(() => Stdout.Any(match), timeout);

    public Task<bool> WaitForApi(TimeSpan timeout) => WaitUntil(async () =>
    {
        try { return (await Http("GET", "/api")).Status == 200; }
        catch (Exception) { return false; }
    }, timeout);

    public record HttpResult(int Status, Dictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    /// <summary>One raw HTTP/1.1 request with the target sent byte for byte (no client-side re-encoding).</summary>
    public async Task<HttpResult> Http(string method, string target, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        using var c = new TcpClient();
        await c.ConnectAsync(IPAddress.Loopback, ApiPort, cts.Token);
        var s = c.GetStream();
        await s.WriteAsync(Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{ApiPort}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"), cts.Token);
        var ms = new MemoryStream();
        await s.CopyToAsync(ms, cts.Token);
        var raw = ms.ToArray();
        int end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) throw new IOException("no HTTP response head: " + Encoding.ASCII.GetString(raw));
        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var l in lines.Skip(1)) { int i = l.IndexOf(':'); headers[l[..i]] = l[(i + 1)..].Trim(); }
        var body = raw[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te == "chunked") body = Dechunk(body);
        return new HttpResult(int.Parse(lines[0].Split(' ')[1]), headers, body);
    }

    private static byte[] Dechunk(byte[] b)
    {
        var o = new MemoryStream();
        int i = 0;
        while (true)
        {
            int le = b.AsSpan(i).IndexOf("\r\n"u8);
            int size = Convert.ToInt32(Encoding.ASCII.GetString(b, i, le), 16);
            i += le + 2;
            if (size == 0) return o.ToArray();
            o.Write(b, i, size);
            i += size + 2;
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SysKill(int pid, int sig);

    public void Signal(int sig) => SysKill(Process.Id, sig);

    public async ValueTask DisposeAsync()
    {
        try { if (!Process.HasExited) { Process.Kill(); await Process.WaitForExitAsync(); } } catch (InvalidOperationException) { }
        Process.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }

    public string Dump() => "stdout:\n" + string.Join("\n", Stdout) + "\nstderr:\n" + string.Join("\n", Stderr);
}
