using System.Text;
using LightNvr.Logging;

namespace LightNvr.Go2rtc;

/// <summary>
/// Where go2rtc's output goes: a size-rotated file (go2rtc.log, .1, .2: the disk stays bounded
/// whatever go2rtc prints) and an in-memory ring of recent lines for the status page. Every line is
/// redacted before either sees it.
/// </summary>
public sealed class LogSink : IDisposable
{
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _keep;
    private readonly string[] _ring;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;
    private FileStream? _file;

    public LogSink(string path, long maxBytes = 1 << 20, int keep = 3, int ringLines = 500)
    {
        _path = path;
        _maxBytes = maxBytes;
        _keep = keep;
        _ring = new string[ringLines];
    }

    public void Write(string line, bool isStderr = false)
    {
        var clean = Redactor.Redact(line);
        lock (_gate)
        {
            _ring[_next] = clean;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
            try
            {
                WriteToFile(clean);
            }
            catch (IOException)
            {
                // A full or read-only disk must never stop the draining of go2rtc's pipes.
                _file?.Dispose();
                _file = null;
            }
            catch (UnauthorizedAccessException)
            {
                _file = null;
            }
        }
    }

    /// <summary>The most recent lines, oldest first.</summary>
    public IReadOnlyList<string> Recent(int max = 500)
    {
        lock (_gate)
        {
            var n = Math.Min(max, _count);
            var result = new string[n];
            for (var i = 0; i < n; i++) result[i] = _ring[(_next - n + i + _ring.Length) % _ring.Length];
            return result;
        }
    }

    private void WriteToFile(string line)
    {
        _file ??= Open();
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        if (_file.Length + bytes.Length > _maxBytes && _file.Length > 0)
        {
            _file.Dispose();
            _file = null;
            Rotate();
            _file = Open();
        }
        _file.Write(bytes);
        _file.Flush();
    }

    private FileStream Open() => new(_path, new FileStreamOptions
    {
        Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    });

    private void Rotate()
    {
        // go2rtc.log.2 is dropped, .1 → .2, go2rtc.log → .1: at most keep × maxBytes on disk.
        for (var i = _keep - 1; i >= 1; i--)
        {
            var from = i == 1 ? _path : $"{_path}.{i - 1}";
            if (File.Exists(from)) File.Move(from, $"{_path}.{i}", overwrite: true);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
