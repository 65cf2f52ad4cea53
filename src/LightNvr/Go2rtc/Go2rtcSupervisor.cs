using LightNvr.Config;
using LightNvr.Hosting;
using LightNvr.Posix;

namespace LightNvr.Go2rtc;

/// <summary>
/// The one owner of go2rtc's lifecycle. Every start, stop and restart happens on this service's own
/// loop, so they are serialized by construction: callers only post requests (concurrent restart
/// callers share one restart and one result) and read the published <see cref="Status"/>. It is the
/// one gate of the restart budget: an automatic restart it refuses leaves go2rtc as it is and says why.
/// </summary>
public sealed partial class Go2rtcSupervisor : BackgroundService, IGo2rtc
{
    private readonly Go2rtcSettings _settings;
    private readonly SupervisorOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;
    private readonly LogSink _sink;
    private readonly List<Func<int, CancellationToken, Task>> _readyHooks = [];
    private readonly Lock _requestGate = new();
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource<bool>? _restart; // pending or in progress; shared by all its callers
    private RestartReason _restartReason;
    private string _restartWhy = "";
    private RestartReason? _nextReason; // why the next start happens; null for the first start after boot
    private (RestartReason Reason, bool IsRetry)? _attempt; // the restart being attempted, until its outcome is recorded
    private readonly Published<Go2rtcStatus> _status;
    private readonly IConfigStreamsSource? _configStreams;
    private readonly bool _ownsApi;
    private Go2rtcRun? _run;
    private Quarantine _quarantine = new();
    private int _failures;
    private long? _lastImmediate;

    private readonly RestartLedger _ledger;

    public Go2rtcSupervisor(AppConfig config, SupervisorOptions options, ILogger<Go2rtcSupervisor> log, TimeProvider clock,
        RestartLedger? ledger = null, Go2rtcApi? api = null, IConfigStreamsSource? configStreams = null)
    {
        _configStreams = configStreams;
        _ownsApi = api is null;
        _ledger = ledger ?? new RestartLedger(RestartBudgetOptions.Default);
        _settings = config.Go2rtc;
        _options = options;
        _log = log;
        _clock = clock;
        _sink = new LogSink(Path.Combine(_settings.ConfigDir, "go2rtc.log"));
        PidPath = Path.Combine(config.StateDir, "go2rtc.pid");
        Api = api ?? new Go2rtcApi(_settings.ApiPort);
        _status = new Published<Go2rtcStatus>(new Go2rtcStatus { ApiUrl = Api.BaseUrl });
    }

    public Go2rtcStatus Status => _status.Current;

    /// <summary>Completes at go2rtc's next status change (take it before reading <see cref="Status"/>).</summary>
    public Task StatusChanged => _status.Changed;

    /// <summary>The one client of go2rtc's API; its base path follows the person's go2rtc.yaml.</summary>
    public Go2rtcApi Api { get; }
    public string PidPath { get; }
    public RestartLedger Ledger => _ledger;
    public IReadOnlyList<string> RecentLog(int max = 100) => _sink.Recent(max);

    /// <summary>Runs after every start and in-place restart, before the status says Ready (tests hold a start there).</summary>
    public void AddReadyHook(Func<int, CancellationToken, Task> hook) => _readyHooks.Add(hook);

    /// <summary>
    /// The one command: stop and start go2rtc. Concurrent callers share one restart; true if go2rtc came
    /// back ready. A person's reason always goes ahead; an automatic one only within the restart budget:
    /// refused, go2rtc is left as it is, the status says so, and the answer is false.
    /// </summary>
    public Task<bool> RequestRestart(RestartReason reason, string why = "")
    {
        lock (_requestGate)
        {
            if (_restart is { } pending) return pending.Task;
            if (RestartBudget.IsAutomatic(reason) && _ledger.Decide(reason, _clock.GetUtcNow()) is BudgetVerdict.Denied denied)
            {
                var refused = $"go2rtc needs a restart ({RestartReasons.Word(reason)}{(why.Length > 0 ? ": " + why : "")}) but the restart budget is spent; " +
                              $"next try at {denied.Until:HH:mm:ss} UTC";
                if (_status.Current.RestartRefused is null) _log.LogError("{Message}", refused);
                Publish(s => s with { RestartRefused = refused, RefusedUntil = denied.Until });
                return Task.FromResult(false);
            }
            _restart = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _restartReason = reason;
            _restartWhy = why;
            Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();
            return _restart.Task;
        }
    }

    // Nothing go2rtc does may end the appliance: a fault that escapes a pass is logged and the loop runs again.
    protected override Task ExecuteAsync(CancellationToken stop) =>
        Hosting.GuardedLoop.RunAsync("the go2rtc supervisor", SuperviseAsync, _log, _clock, stop);

    private async Task SuperviseAsync(CancellationToken stop)
    {
        await Task.Yield();
        if (!BuiltIn) { Publish(s => s with { Phase = Go2rtcPhase.NotBuilt, Message = "go2rtc support was left out of this build" }); return; }
        if (!_settings.Enabled) { Publish(s => s with { Phase = Go2rtcPhase.Disabled, Message = "go2rtc is disabled in lightnvr.yaml" }); return; }
        try
        {
            await StopLeftoverAsync(stop);
            while (!stop.IsCancellationRequested)
            {
                var restart = TakeRestart();
                var reason = _nextReason;
                var isRetry = false;
                if (reason is { } r && RestartBudget.IsAutomatic(r))
                {
                    switch (_ledger.Decide(r, _clock.GetUtcNow()))
                    {
                        case BudgetVerdict.Denied denied:
                            CompleteRestart(restart, false);
                            await FailedAsync(r, denied.Until, stop);
                            continue;
                        case BudgetVerdict.RetryAllowed:
                            isRetry = true;
                            break;
                    }
                }
                LocatedBinary located;
                bool ready;
                try
                {
                    located = await LocateAsync(stop);
                    if (!located.Usable)
                    {
                        CompleteRestart(restart, false);
                        await PauseAsync(_options.LocateRetry, stop);
                        continue;
                    }
                    _attempt = reason is { } attempted ? (attempted, isRetry) : null;
                    ready = await LaunchAsync(located, stop);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    // Nothing may end the supervisor (a timeout's cancellation included): say what went wrong and try again after the backoff.
                    _log.LogError(e, "go2rtc start failed");
                    await StopCurrentAsync("start failed");
                    Publish(s => s with { Phase = Go2rtcPhase.Backoff, Message = $"go2rtc could not be started: {e.Message}" });
                    ready = false;
                }
                RecordAttempt(ready); // (a successful one was recorded just before Ready was published)
                CompleteRestart(restart, ready);
                _nextReason = reason ?? RestartReason.Exited; // what follows a failed start or an exit is an automatic restart
                if (!ready)
                {
                    await BackoffAsync(stop);
                    continue;
                }
                await WatchAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await StopCurrentAsync("the appliance is stopping");
            Publish(s => s with { Phase = Go2rtcPhase.Stopped, Message = "stopped", Pid = null });
            lock (_requestGate)
            {
                _restart?.TrySetResult(false);
                _restart = null;
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _sink.Dispose();
        if (_ownsApi) Api.Dispose();
    }

    // Read through a field: the build option is a constant, and either branch must still compile cleanly.
    private static readonly bool BuiltIn = BuildOptions.Go2rtcEnabled;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task WakeSignal => Volatile.Read(ref _wake).Task;

    private bool RestartRequested { get { lock (_requestGate) return _restart is not null; } }

    /// <summary>The restart being served by this pass of the loop (it stays shared until completed).</summary>
    private TaskCompletionSource<bool>? TakeRestart()
    {
        lock (_requestGate)
        {
            if (_restart is null) return null;
            _log.LogInformation("restarting go2rtc ({Reason}){Why}", _restartReason, _restartWhy.Length > 0 ? ": " + _restartWhy : "");
            _nextReason = _restartReason;
            if (RestartBudget.IsByPerson(_restartReason)) _failures = 0; // a person's restart starts a fresh series
            Publish(s => s with { Restarts = s.Restarts + 1, RestartRefused = null, RefusedUntil = null });
            return _restart;
        }
    }

    private void CompleteRestart(TaskCompletionSource<bool>? restart, bool ready)
    {
        if (restart is null) return;
        lock (_requestGate)
        {
            if (_restart == restart) _restart = null;
        }
        restart.TrySetResult(ready);
    }

    private void Publish(Func<Go2rtcStatus, Go2rtcStatus> change) => _status.Update(change);

    /// <summary>Waits, but wakes early for a restart request.</summary>
    private async Task PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        var wake = WakeSignal;
        if (RestartRequested) return;
        Publish(s => s with { NextAttemptAt = _clock.GetUtcNow() + delay });
        await Task.WhenAny(Task.Delay(delay, _clock, stop), wake);
        stop.ThrowIfCancellationRequested();
        Publish(s => s with { NextAttemptAt = null });
    }

    /// <summary>Writes the outcome of the restart being attempted into the shared history, once.</summary>
    private void RecordAttempt(bool ok)
    {
        if (_attempt is not { } a) return;
        _attempt = null;
        _ledger.Record(new RestartEntry(_clock.GetUtcNow(), a.Reason, ok ? RestartOutcome.Ok : RestartOutcome.Failed, a.IsRetry));
    }

    /// <summary>The restart budget is spent: say so, wait for the retry time or a person's restart.</summary>
    private async Task FailedAsync(RestartReason reason, DateTimeOffset until, CancellationToken stop)
    {
        var o = _ledger.Options;
        var message = $"go2rtc failed: {o.MaxAutomatic} automatic restarts in {o.Window.TotalMinutes:0} minutes did not keep it running " +
                      $"(last reason: {reason}); next try at {until:HH:mm:ss} UTC, or restart it by hand";
        if (Status.Phase != Go2rtcPhase.Failed) _log.LogError("{Message}", message);
        Publish(s => s with { Phase = Go2rtcPhase.Failed, Message = message });
        var delay = until - _clock.GetUtcNow();
        if (delay > TimeSpan.Zero) await PauseAsync(delay, stop);
    }

    private async Task BackoffAsync(CancellationToken stop)
    {
        _failures++;
        var delay = RestartPacing.Delay(_failures);
        var next = _clock.GetUtcNow() + delay;
        Publish(s => s with { Phase = s.Phase == Go2rtcPhase.PortConflict ? s.Phase : Go2rtcPhase.Backoff, NextAttemptAt = next });
        _log.LogWarning("go2rtc: {Message}; next attempt in {Delay} s", Status.Message, delay.TotalSeconds);
        await PauseAsync(delay, stop);
    }
}
