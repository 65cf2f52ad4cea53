using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Hosting;
using LightNvr.Streams;

namespace LightNvr.Recording;

/// <summary>
/// The owner of recording: one <see cref="CameraRecorder"/> per enabled camera with <c>record: true</c>, started
/// and stopped as the camera list changes; publishes <see cref="RecordingStatus"/>. Each camera runs in its own
/// guarded loop, so nothing a camera or the disk does reaches streaming, health or the other cameras.
/// </summary>
public sealed class Recorder(CameraList cameras, AppConfig config, IGo2rtcClient go2rtc, TimeProvider clock, ILogger<Recorder> log)
    : BackgroundService
{
    private readonly Published<RecordingStatus> _status = new(RecordingStatus.Empty(config.Record.Dir));

    public RecordingStatus Status => _status.Current;
    public Task StatusChanged => _status.Changed;

    protected override Task ExecuteAsync(CancellationToken stop) => GuardedLoop.RunAsync("the recorder", FollowAsync, log, clock, stop);

    private async Task FollowAsync(CancellationToken stop)
    {
        var running = new Dictionary<string, (CancellationTokenSource Cancel, Task Loop)>(StringComparer.Ordinal);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var changed = cameras.Changed; // taken before the list is read: no change is missed
                var wanted = cameras.Current.Cameras.Where(c => c.Enabled && c.Record).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var name in running.Keys.Where(n => !wanted.Contains(n)).ToList())
                {
                    await running[name].Cancel.CancelAsync();
                    await running[name].Loop;
                    running.Remove(name);
                    log.LogInformation("recording {Camera}: stopped", name);
                }
                foreach (var name in wanted.Where(n => !running.ContainsKey(n)))
                {
                    var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    var recorder = new CameraRecorder(name, config.Record, go2rtc, clock, _status, log);
                    running[name] = (cancel, GuardedLoop.RunAsync($"recording {name}", recorder.RunAsync, log, clock, cancel.Token));
                    log.LogInformation("recording {Camera}: started into {Dir}", name, config.Record.Dir);
                }
                await Task.WhenAny(changed, Task.Delay(Timeout.Infinite, stop));
            }
        }
        finally
        {
            foreach (var (cancel, _) in running.Values) await cancel.CancelAsync();
            await Task.WhenAll(running.Values.Select(r => r.Loop));
            foreach (var (cancel, _) in running.Values) cancel.Dispose();
        }
    }
}
