using LightNvr.Go2rtc;
using LightNvr.Streams;

namespace LightNvr.Health;

/// <summary>
/// On go2rtc older than 1.9.11 (no preload) the appliance keeps each watched camera connected itself:
/// one MP4 consumer per watched stream, read and thrown away, reconnected when it drops and renewed
/// when the stream is re-registered (go2rtc leaves consumers on the replaced stream object).
/// </summary>
public sealed class KeepAliveConsumers(IGo2rtc go2rtc, Go2rtcApi api, StreamSync sync, ILogger<KeepAliveConsumers> log, TimeProvider clock)
    : BackgroundService
{
    private readonly Dictionary<string, (DateTimeOffset? Since, CancellationTokenSource Stop)> _running = new(StringComparer.Ordinal);

    /// <summary>Names with a consumer running now.</summary>
    public IReadOnlyCollection<string> Running { get { lock (_running) return _running.Keys.ToList(); } }

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Hosting.GuardedLoop.RunAsync("the keep-alive consumers", AdjustLoopAsync, log, clock, stop);

    private async Task AdjustLoopAsync(CancellationToken stop)
    {
        // Woken by what Adjust reads (go2rtc's status, the streams' state), never by a clock: on go2rtc with
        // preload, which is every idle appliance, this loop then sleeps for good.
        var stopped = Task.Delay(Timeout.Infinite, stop);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var changed = Task.WhenAny(go2rtc.StatusChanged, sync.StateChanged); // taken before the values are read
                Adjust(stop);
                await Task.WhenAny(changed, stopped);
            }
        }
        finally
        {
            lock (_running)
            {
                foreach (var (_, r) in _running) r.Stop.Cancel();
                _running.Clear(); // a pass that runs again starts every consumer afresh
            }
        }
    }

    private void Adjust(CancellationToken stop)
    {
        var status = go2rtc.Status;
        var version = Go2rtcVersion.Parse(status.Version);
        var wanted = status.Phase == Go2rtcPhase.Ready && version is not null && !StreamFeatures.Has(version, StreamFeatures.Preload)
            && sync.Desired is { } desired ? WatchedStreams.Watched(desired) : [];
        lock (_running)
        {
            foreach (var name in _running.Keys.ToList())
            {
                var since = sync.States.GetValueOrDefault(name)?.Since;
                if (wanted.Contains(name) && since == _running[name].Since) continue;
                _running[name].Stop.Cancel(); // unwatched, or re-registered: a new stream object needs a new consumer
                _running.Remove(name);
            }
            foreach (var name in wanted.Where(n => !_running.ContainsKey(n)))
            {
                var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
                _running[name] = (sync.States.GetValueOrDefault(name)?.Since, cts);
                _ = Task.Run(() => ConsumeAsync(name, cts.Token), cts.Token);
            }
        }
    }

    private async Task ConsumeAsync(string name, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        var delay = TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var body = await api.OpenMp4Async(name, stop);
                if (body is not null)
                {
                    delay = TimeSpan.FromSeconds(1);
                    while (await body.ReadAsync(buffer, stop) > 0) { }
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // Whatever go2rtc did (refused, reset, hung up, a client replaced under us): try again.
                log.LogDebug("keep-alive {Name}: {Error}", name, e.Message);
            }
            catch (Exception)
            {
                return;
            }
            await Task.Delay(delay, clock, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 10));
        }
    }
}
