using LightNvr.Config;
using LightNvr.Hosting;

namespace LightNvr.Go2rtc;

/// <summary>
/// The one owner of go2rtc's lifecycle. Every start, stop and restart happens on this service's own
/// loop, so they are serialized by construction: callers only post requests (concurrent restart
/// callers share one restart and one result) and read the published <see cref="Status"/>. It is the
/// one gate of the restart budget: an automatic restart it refuses leaves go2rtc as it is and says why.
/// </summary>
public sealed class Go2rtcSupervisor : BackgroundService, IGo2rtc
{
    /// <summary>How long a go2rtc found hung gets between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan HungGrace = TimeSpan.FromMilliseconds(300);

    // Read through a field: the build option is a constant, and either branch must still compile cleanly.
    private static readonly bool BuiltIn = BuildOptions.Go2rtcEnabled;

    private readonly SupervisorContext _context;
    private readonly bool _ownsApi;
    private readonly RestartGate _gate;
    private readonly RestartSeries _series;
    private readonly CurrentRun _current;
    private readonly Readiness _readiness;
    private readonly Go2rtcLauncher _launcher;
    private readonly RunWatch _watch;

    /// <param name="client">What readiness is asked of (the registered client; a fake in tests); <paramref name="api"/> when null.</param>
    /// <param name="processes">The door to the operating system; the real one when null.</param>
    public Go2rtcSupervisor(AppConfig config, SupervisorOptions options, ILogger<Go2rtcSupervisor> log, TimeProvider clock,
        RestartLedger? ledger = null, Go2rtcApi? api = null, IConfigStreamsSource? configStreams = null,
        IGo2rtcClient? client = null, IGo2rtcProcesses? processes = null)
    {
        var settings = config.Go2rtc;
        _ownsApi = api is null;
        Api = api ?? new Go2rtcApi(settings.ApiPort);
        Ledger = ledger ?? new RestartLedger(RestartBudgetOptions.Default);
        PidPath = Path.Combine(config.StateDir, "go2rtc.pid");
        _context = new SupervisorContext(settings, options, log, clock, processes ?? new Go2rtcOnPosix(),
            new LogSink(Path.Combine(settings.ConfigDir, "go2rtc.log")), new Published<Go2rtcStatus>(new Go2rtcStatus { ApiUrl = Api.BaseUrl }));
        var ports = new Go2rtcPorts(_context);
        _gate = new RestartGate(_context, Ledger);
        _series = new RestartSeries(Ledger, clock);
        _current = new CurrentRun(_context, ports, PidPath);
        _readiness = new Readiness(_context, client ?? Api, ports, _series);
        _launcher = new Go2rtcLauncher(_context, Api, configStreams, new PersonFileGuard(_context), ports, _current, _readiness);
        _watch = new RunWatch(_context, _gate, _current, _series, _readiness, ports);
    }

    public Go2rtcStatus Status => _context.Status;

    /// <summary>Completes at go2rtc's next status change (take it before reading <see cref="Status"/>).</summary>
    public Task StatusChanged => _context.Published.Changed;

    /// <summary>The one client of go2rtc's API; its base path follows the person's go2rtc.yaml.</summary>
    public Go2rtcApi Api { get; }
    public string PidPath { get; }
    public RestartLedger Ledger { get; }
    public IReadOnlyList<string> RecentLog(int max = 100) => _context.Sink.Recent(max);

    /// <summary>Runs after every start and in-place restart, before the status says Ready (tests hold a start there).</summary>
    public void AddReadyHook(Func<int, CancellationToken, Task> hook) => _readiness.AddHook(hook);

    /// <summary>
    /// The one command: stop and start go2rtc. Concurrent callers share one restart; true if go2rtc came
    /// back ready. A person's reason always goes ahead; an automatic one only within the restart budget:
    /// refused, go2rtc is left as it is, the status says so, and the answer is false.
    /// </summary>
    public Task<bool> RequestRestart(RestartReason reason, string why = "") => _gate.Request(reason, why);

    // Nothing go2rtc does may end the appliance: a fault that escapes a pass is logged and the loop runs again.
    protected override Task ExecuteAsync(CancellationToken stop) =>
        GuardedLoop.RunAsync("the go2rtc supervisor", SuperviseAsync, _context.Log, _context.Clock, stop);

    private async Task SuperviseAsync(CancellationToken stop)
    {
        await Task.Yield();
        if (!BuiltIn) { Publish(s => s with { Phase = Go2rtcPhase.NotBuilt, Message = "go2rtc support was left out of this build" }); return; }
        if (!_context.Settings.Enabled) { Publish(s => s with { Phase = Go2rtcPhase.Disabled, Message = "go2rtc is disabled in lightnvr.yaml" }); return; }
        try
        {
            await _current.StopLeftoverAsync(stop);
            while (!stop.IsCancellationRequested)
            {
                var restart = _gate.Take();
                if (restart is not null) _series.Requested(restart.Reason);
                var (reason, verdict) = _series.Admit();
                if (verdict is BudgetVerdict.Denied denied)
                {
                    _gate.Complete(restart, false);
                    await FailedAsync(reason!.Value, denied.Until, stop);
                    continue;
                }
                var ready = await StartOnceAsync(reason, isRetry: verdict is BudgetVerdict.RetryAllowed, stop);
                if (ready is null)
                {
                    _gate.Complete(restart, false);
                    await _gate.PauseAsync(_context.Options.LocateRetry, stop);
                    continue;
                }
                _series.Record(ready.Value); // (a successful one was recorded just before Ready was published)
                _gate.Complete(restart, ready.Value);
                _series.AfterAttempt();
                if (ready == false || await _watch.WatchAsync(stop) == RunWatch.Ended.AfterBackoff)
                    await BackoffAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await _current.StopAsync("the appliance is stopping");
            Publish(s => s with { Phase = Go2rtcPhase.Stopped, Message = "stopped", Pid = null });
            _gate.Abandon();
        }
    }

    /// <summary>One start: true when go2rtc is ready, false when it is not, null when there is no usable binary to start.</summary>
    private async Task<bool?> StartOnceAsync(RestartReason? reason, bool isRetry, CancellationToken stop)
    {
        try
        {
            var located = await _launcher.LocateAsync(stop);
            if (!located.Usable) return null;
            _series.Attempting(reason, isRetry);
            return await _launcher.LaunchAsync(located, stop);
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // Nothing may end the supervisor (a timeout's cancellation included): say what went wrong and try again after the backoff.
            _context.Log.LogError(e, "go2rtc start failed");
            await _current.StopAsync("start failed");
            Publish(s => s with { Phase = Go2rtcPhase.Backoff, Message = $"go2rtc could not be started: {e.Message}" });
            return false;
        }
    }

    /// <summary>The restart budget is spent: say so, wait for the retry time or a person's restart.</summary>
    private async Task FailedAsync(RestartReason reason, DateTimeOffset until, CancellationToken stop)
    {
        var o = Ledger.Options;
        var message = $"go2rtc failed: {o.MaxAutomatic} automatic restarts in {o.Window.TotalMinutes:0} minutes did not keep it running " +
                      $"(last reason: {reason}); next try at {until:HH:mm:ss} UTC, or restart it by hand";
        if (Status.Phase != Go2rtcPhase.Failed) _context.Log.LogError("{Message}", message);
        Publish(s => s with { Phase = Go2rtcPhase.Failed, Message = message });
        var delay = until - _context.Clock.GetUtcNow();
        if (delay > TimeSpan.Zero) await _gate.PauseAsync(delay, stop);
    }

    private async Task BackoffAsync(CancellationToken stop)
    {
        var delay = _series.NextBackoff();
        var next = _context.Clock.GetUtcNow() + delay;
        Publish(s => s with { Phase = s.Phase == Go2rtcPhase.PortConflict ? s.Phase : Go2rtcPhase.Backoff, NextAttemptAt = next });
        _context.Log.LogWarning("go2rtc: {Message}; next attempt in {Delay} s", Status.Message, delay.TotalSeconds);
        await _gate.PauseAsync(delay, stop);
    }

    private void Publish(Func<Go2rtcStatus, Go2rtcStatus> change) => _context.Publish(change);

    public override void Dispose()
    {
        base.Dispose();
        _context.Sink.Dispose();
        if (_ownsApi) Api.Dispose();
    }
}
