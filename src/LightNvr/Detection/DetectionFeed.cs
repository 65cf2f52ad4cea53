using LightNvr.Config;
using LightNvr.Frames;
using LightNvr.Streams;

namespace LightNvr.Detection;

/// <summary>
/// Keeps one <see cref="CameraFeed"/> running per enabled camera with <c>detect:</c> settings, and
/// restarts a camera's loop when its settings change.
/// </summary>
public sealed class DetectionFeed(
    CameraList cameras, SnapshotService snapshots, DetectionStore store, FeedTiming timing, TimeProvider clock, ILogger<DetectionFeed> log)
    : BackgroundService
{
    private readonly DetectorClient _client = new();
    private sealed record Running(string Key, CancellationTokenSource Stop, Task Run);

    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Hosting.GuardedLoop.RunAsync("the detection feed", FeedAsync, log, clock, stop);

    private async Task FeedAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var changed = cameras.Changed;
                await ApplyAsync(cameras.Current.Cameras, stop);
                await changed.WaitAsync(stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            await ApplyAsync([], CancellationToken.None);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _client.Dispose();
    }

    private async Task ApplyAsync(IReadOnlyList<Camera> list, CancellationToken stop)
    {
        var wanted = list.Where(c => c.Enabled && c.Detect is not null).ToDictionary(c => c.Name, c => c.Detect!, StringComparer.Ordinal);
        foreach (var name in _running.Keys.ToList())
        {
            var run = _running[name];
            if (wanted.TryGetValue(name, out var d) && Key(d) == run.Key) continue;
            await run.Stop.CancelAsync();
            await run.Run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            run.Stop.Dispose();
            _running.Remove(name);
            store.Remove(name);
        }
        if (stop.IsCancellationRequested) return;
        foreach (var (name, settings) in wanted)
        {
            if (_running.ContainsKey(name)) continue;
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var feed = new CameraFeed(name, settings, snapshots, _client, store, timing, clock, log);
            _running[name] = new Running(Key(settings), cancel, Task.Run(() => feed.RunAsync(cancel.Token), CancellationToken.None));
        }
    }

    /// <summary>Settings that, when edited, restart the camera's loop.</summary>
    private static string Key(DetectSettings d) =>
        string.Join('\n', d.Url, d.IntervalMs, d.Threshold, string.Join(',', d.Labels), d.Webhook ?? "");
}
