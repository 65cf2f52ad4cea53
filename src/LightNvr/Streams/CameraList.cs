using LightNvr.Config;
using System.Runtime.InteropServices;

namespace LightNvr.Streams;

/// <summary>
/// The camera list as the appliance currently knows it: streams.yaml, re-read on SIGHUP and when the
/// file changes on disk, and changed through the JSON API (every write atomic, mode 0600). Readers get
/// an immutable <see cref="StreamsLoad"/>; <see cref="Changed"/> completes on every new version.
/// </summary>
public sealed class CameraList : IDisposable
{
    private readonly ILogger<CameraList> _log;
    private readonly Lock _gate = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly PosixSignalRegistration? _hangup;
    private readonly OwnServices _own;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamsLoad _current;
    private string _lastText = "\0";
    private Timer? _debounce;

    public CameraList(string path, ILogger<CameraList> log, bool watch = true, OwnServices? own = null)
    {
        Path = path;
        _log = log;
        _own = own ?? OwnServices.None;
        _current = new StreamsLoad([], [], [], Readable: true);
        Reload("start");
        if (!watch) return;
        var dir = System.IO.Path.GetDirectoryName(path)!;
        if (Directory.Exists(dir))
        {
            // Atomic writers (ours, editors) rename a temp file over the target: watch renames too.
            _watcher = new FileSystemWatcher(dir, System.IO.Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
            };
            _watcher.Changed += (_, _) => ReloadSoon();
            _watcher.Created += (_, _) => ReloadSoon();
            _watcher.Renamed += (_, _) => ReloadSoon();
            _watcher.Deleted += (_, _) => ReloadSoon();
            _watcher.EnableRaisingEvents = true;
        }
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP means "reload", never "terminate"
            Reload("SIGHUP");
        });
    }

    public string Path { get; }

    public StreamsLoad Current { get { lock (_gate) return _current; } }

    /// <summary>Completes when the list changes (then ask again for the next change).</summary>
    public Task Changed { get { lock (_gate) return _changed.Task; } }

    /// <summary>Re-reads the file; a change of content publishes a new list.</summary>
    public void Reload(string why)
    {
        lock (_gate)
        {
            // Read under the lock: a read that started before an API save and finished after it would
            // otherwise publish the older file and drop the camera just added.
            string text;
            try
            {
                text = File.Exists(Path) ? File.ReadAllText(Path) : "";
            }
            catch (IOException e)
            {
                _log.LogError("cannot read {Path}: {Error}", Path, e.Message);
                return;
            }
            if (text == _lastText) return;
            _lastText = text;
            _current = StreamsFile.Parse(text, Path, _own);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
        var load = Current;
        _log.LogInformation("camera list loaded ({Why}): {Count} camera(s), {Errors} error(s)", why, load.Cameras.Count, load.Errors.Count);
        foreach (var e in load.Errors) _log.LogError("{Error}", e.ToString());
    }

    private void ReloadSoon()
    {
        // Editors write in several steps; one reload 200 ms after the last event.
        lock (_gate)
        {
            _debounce ??= new Timer(_ => Reload("file changed"));
            _debounce.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The rules a camera must pass here (the appliance's own ports included), for callers that check one before an edit.</summary>
    public IEnumerable<(string Field, string Reason)> Problems(Camera camera) => CameraRules.Problems(camera, _own);

    /// <summary>
    /// Applies a change made through the API: the edit gets the current cameras, returns the new list
    /// (or an error message), and the result is validated, saved atomically and published. Refused
    /// while the file has errors, so that saving can never drop a camera the person is still fixing.
    /// <see cref="UpdateResult.Saved"/> is exactly the list written: an answer built from it describes
    /// what was stored, whatever another request changes a moment later. A failed write throws
    /// <see cref="Storage.WriteFailure"/> and changes nothing.
    /// </summary>
    public UpdateResult Update(Func<IReadOnlyList<Camera>, (List<Camera>? Cameras, string? Conflict)> edit)
    {
        lock (_gate)
        {
            if (_current.Errors.Count > 0 || !_current.Readable)
                return new(false, $"{StreamsFile.FileName} has errors; fix the file first (see GET /api/streams)", [], null);
            var (next, conflict) = edit(_current.Cameras);
            if (next is null) return new(false, conflict, [], null);
            var text = StreamsFile.Serialize(next);
            var check = StreamsFile.Parse(text, Path, _own);
            if (check.Errors.Count > 0) return new(false, null, check.Errors, null);
            // The file must read back as exactly what was asked for (YAML folds some characters, e.g. a lone \r).
            if (StreamsFile.Serialize(check.Cameras) != text)
                return new(false, null, [new Config.ConfigError(Path, 0, 0, "camera", "cannot be stored exactly as sent (a character the file format changes?)")], null);
            StreamsFile.Save(Path, next);
            _lastText = text;
            _current = check;
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return new(true, null, [], check);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _hangup?.Dispose();
        _debounce?.Dispose();
    }
}

/// <summary>What <see cref="CameraList.Update"/> did: saved (with the list as written), or why not.</summary>
public sealed record UpdateResult(bool Ok, string? Conflict, IReadOnlyList<Config.ConfigError> Errors, StreamsLoad? Saved);
