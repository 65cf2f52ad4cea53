using System.Text;

namespace Go2rtcStandIn;

/// <summary>
/// Where the fault switches come from: the environment, overridden by the KEY=VALUE lines of
/// <c>STANDIN_FAULTS_FILE</c> when that file exists at start. The appliance spawns go2rtc with the
/// same environment every time, so a test changes the next start's faults by writing that file.
/// </summary>
internal static class Faults
{
    private static Dictionary<string, string>? _file;

    public static string? Get(string name)
    {
        _file ??= ReadFile();
        return _file.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name);
    }

    private static Dictionary<string, string> ReadFile()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable("STANDIN_FAULTS_FILE") is not { Length: > 0 } path || !File.Exists(path)) return result;
        try
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var eq = line.IndexOf('=');
                if (eq > 0 && !line.StartsWith('#')) result[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }
        catch (IOException) { }
        return result;
    }

    /// <summary>STANDIN_API_MODE: what every /api… route does from the start (ok | 500 | hang | garbage).</summary>
    public static string ApiMode() => Get("STANDIN_API_MODE") is "500" or "hang" or "garbage" ? Get("STANDIN_API_MODE")! : "ok";

    /// <summary>A 200 that is not what go2rtc would ever send: binary junk declared as JSON.</summary>
    public static Response GarbageAnswer()
    {
        var body = new byte[512];
        new Random(7).NextBytes(body);
        "{\"version\":"u8.CopyTo(body.AsSpan(1));
        return new Response { Body = body }.Header("Content-Type", "application/json");
    }

    /// <summary>
    /// STANDIN_GARBAGE_OUTPUT=1: a burst of output no go2rtc writes (random bytes, NULs, invalid UTF-8,
    /// a 256 KiB line, JSON of the wrong shape and cut short, terminal escapes), then more every half second.
    /// </summary>
    public static void StartGarbageOutput()
    {
        WriteGarbage(new Random(1), burst: true);
        new Thread(() =>
        {
            var random = new Random(2);
            while (true)
            {
                Thread.Sleep(500);
                WriteGarbage(random, burst: false);
            }
        }) { IsBackground = true }.Start();
    }

    private static void WriteGarbage(Random random, bool burst)
    {
        var junk = new byte[burst ? 4096 : 256];
        random.NextBytes(junk);
        var lines = new List<byte[]>
        {
            junk,
            "\n\0\0\0\n"u8.ToArray(),
            new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82, (byte)'\n' },
            "{\"level\":\"info\",\"message\":\"[api] listen\",\"addr\":12345}\n"u8.ToArray(),
            "{\"level\":7,\"message\":null,\"time\":\"yesterday\"}\n"u8.ToArray(),
            "{\"level\":\"warn\",\"message\":\n"u8.ToArray(),
            "\u001b[31m\u001b[2J\u001b]0;title\u0007[[[[{{{{\n"u8.ToArray(),
        };
        if (burst) lines.Add(Encoding.ASCII.GetBytes(new string('x', 256 * 1024) + "\n"));
        foreach (var b in lines) Log.WriteBytes(b);
    }
}
