using System.Text;

namespace Go2rtcStandIn;

internal enum Lvl { Trace = 0, Debug, Info, Warn, Error, Fatal, Panic, Disabled }

/// <summary>zerolog look-alike: go2rtc's text (non-TTY) and JSON line formats, per-module levels, unbuffered output.</summary>
internal static class Log
{
    private static readonly object Gate = new();
    private static Stream? _out;
    private static int _fd = -1; // stdout/stderr are written with write(2): .NET's console stream swallows EPIPE
    private static bool _json;
    private static Lvl _level = Lvl.Info;
    private static Dictionary<string, Lvl> _modules = new();
    private static readonly LinkedList<string> Memory = new();
    private static int _memoryBytes;

    public static void Configure(string format, string level, Dictionary<string, string> modules, string output)
    {
        _json = format == "json";
        _level = ParseLevel(level) ?? Lvl.Info;
        _modules = new();
        foreach (var (k, v) in modules)
            if (ParseLevel(v) is { } l) _modules[k] = l;
        _out = null;
        _fd = -1;
        if (output == "stderr") _fd = 2;
        else if (output.StartsWith("file", StringComparison.Ordinal)) _out = OpenFile(output.Length > 5 ? output[5..] : "go2rtc.log");
        else if (output != "") _fd = 1;
    }

    private static Stream? OpenFile(string path)
    {
        try { return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1); }
        catch (Exception) { _fd = 1; return null; }
    }

    public static Lvl? ParseLevel(string s) => s switch
    {
        "trace" => Lvl.Trace, "debug" => Lvl.Debug, "info" => Lvl.Info, "warn" => Lvl.Warn,
        "error" => Lvl.Error, "fatal" => Lvl.Fatal, "panic" => Lvl.Panic, "disabled" => Lvl.Disabled,
        _ => null,
    };

    public static bool Enabled(string module, Lvl lvl) =>
        lvl >= (module.Length > 0 && _modules.TryGetValue(module, out var m) ? m : _level) && lvl != Lvl.Disabled;

    public static void Info(string module, string msg, params (string, string)[] f) => Write(module, Lvl.Info, msg, null, f);
    public static void Warn(string module, string msg, params (string, string)[] f) => Write(module, Lvl.Warn, msg, null, f);
    public static void Error(string module, string msg, params (string, string)[] f) => Write(module, Lvl.Error, msg, null, f);

    public static void Write(string module, Lvl lvl, string msg, string? caller, params (string Key, string Value)[] fields)
    {
        if (!Enabled(module, lvl)) return;
        var now = DateTimeOffset.Now;
        string jsonLine = FormatJson(lvl, msg, caller, fields, now);
        string line = _json ? jsonLine : FormatText(lvl, msg, caller, fields, now);
        lock (Gate)
        {
            Memory.AddLast(jsonLine);
            _memoryBytes += jsonLine.Length;
            while (_memoryBytes > 1 << 20 && Memory.First is { } first) { _memoryBytes -= first.Value.Length; Memory.RemoveFirst(); }
        }
        WriteRaw(line);
    }

    public static string MemoryDump() { lock (Gate) return string.Concat(Memory); }
    public static void ClearMemory() { lock (Gate) { Memory.Clear(); _memoryBytes = 0; } }

    /// <summary>Writes an already formatted line (must end with \n) straight to the output, one write per line.</summary>
    public static void WriteRaw(string line) => WriteBytes(Encoding.UTF8.GetBytes(line));

    /// <summary>Writes bytes as they are (the garbage fault writes what no encoder would).</summary>
    public static void WriteBytes(byte[] bytes)
    {
        if (_out is null && _fd < 0) return;
        lock (Gate)
        {
            if (_fd >= 0) { WriteFd(_fd, bytes); return; }
            try { _out!.Write(bytes, 0, bytes.Length); _out.Flush(); }
            catch (IOException) { Native.DieBySigpipe(); }
            catch (ObjectDisposedException) { }
        }
    }

    /// <summary>write(2) the whole buffer; a broken pipe kills the process by SIGPIPE, as it does a Go program.</summary>
    public static unsafe void WriteFd(int fd, byte[] bytes)
    {
        fixed (byte* p = bytes)
        {
            nint off = 0;
            while (off < bytes.Length)
            {
                nint n = Native.write(fd, p + off, bytes.Length - off);
                if (n >= 0) { off += n; continue; }
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == 4 /* EINTR */ || errno == 11 /* EAGAIN */) continue;
                if (errno == 32 /* EPIPE */) Native.DieBySigpipe();
                return;
            }
        }
    }

    private static string LevelText(Lvl l) => l switch
    {
        Lvl.Trace => "TRC", Lvl.Debug => "DBG", Lvl.Info => "INF", Lvl.Warn => "WRN",
        Lvl.Error => "ERR", Lvl.Fatal => "FTL", _ => "PNC",
    };

    private static string LevelJson(Lvl l) => l switch
    {
        Lvl.Trace => "trace", Lvl.Debug => "debug", Lvl.Info => "info", Lvl.Warn => "warn",
        Lvl.Error => "error", Lvl.Fatal => "fatal", _ => "panic",
    };

    public static string FormatText(Lvl lvl, string msg, string? caller, (string Key, string Value)[] fields, DateTimeOffset now)
    {
        var sb = new StringBuilder();
        sb.Append(now.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(LevelText(lvl));
        if (caller != null) sb.Append(' ').Append(caller).Append(" >");
        if (msg.Length > 0) sb.Append(' ').Append(msg);
        // zerolog ConsoleWriter: "error" first, then the other fields sorted by name
        foreach (var (k, v) in fields.OrderBy(f => f.Key == "error" ? 0 : 1).ThenBy(f => f.Key, StringComparer.Ordinal))
            sb.Append(' ').Append(k).Append('=').Append(NeedsQuote(v) ? GoJson.Quote(v, html: false) : v);
        sb.Append('\n');
        return sb.ToString();
    }

    private static bool NeedsQuote(string s)
    {
        foreach (char c in s)
            if (c < 0x20 || c == ' ' || c == '\\' || c == '"' || c == '=') return true;
        return false;
    }

    public static string FormatJson(Lvl lvl, string msg, string? caller, (string Key, string Value)[] fields, DateTimeOffset now)
    {
        var sb = new StringBuilder();
        sb.Append("{\"level\":\"").Append(LevelJson(lvl)).Append('"');
        foreach (var (k, v) in fields) sb.Append(',').Append(GoJson.Quote(k, false)).Append(':').Append(GoJson.Quote(v, false));
        if (caller != null) sb.Append(",\"caller\":").Append(GoJson.Quote(caller, false));
        sb.Append(",\"time\":").Append(now.ToUnixTimeMilliseconds());
        if (msg.Length > 0) sb.Append(",\"message\":").Append(GoJson.Quote(msg, false));
        sb.Append("}\n");
        return sb.ToString();
    }
}
