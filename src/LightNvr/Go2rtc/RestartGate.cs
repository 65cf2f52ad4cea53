namespace LightNvr.Go2rtc;

/// <summary>
/// Where restart requests wait for the supervisor's loop. At most one restart is pending (or in
/// progress), shared by all its callers until the loop completes it; an automatic reason passes only
/// within the restart budget. The loop's pauses wake early for a request.
/// </summary>
internal sealed class RestartGate(SupervisorContext context, RestartLedger ledger)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _wake = NewSignal();
    private PendingRestart? _pending;

    public sealed class PendingRestart(RestartReason reason, string why)
    {
        public RestartReason Reason { get; } = reason;
        public string Why { get; } = why;
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Completes at the next request (take it before checking <see cref="IsPending"/>).</summary>
    public Task WakeSignal => Volatile.Read(ref _wake).Task;

    public bool IsPending { get { lock (_gate) return _pending is not null; } }

    public RestartReason? PendingReason { get { lock (_gate) return _pending?.Reason; } }

    /// <summary>See <see cref="Go2rtcSupervisor.RequestRestart"/>.</summary>
    public Task<bool> Request(RestartReason reason, string why)
    {
        lock (_gate)
        {
            if (_pending is { } pending) return pending.Done.Task;
            if (RestartBudget.IsAutomatic(reason) && ledger.Decide(reason, context.Clock.GetUtcNow()) is BudgetVerdict.Denied denied)
            {
                var refused = $"go2rtc needs a restart ({RestartReasons.Word(reason)}{(why.Length > 0 ? ": " + why : "")}) but the restart budget is spent; " +
                              $"next try at {denied.Until:HH:mm:ss} UTC";
                if (context.Status.RestartRefused is null) context.Log.LogError("{Message}", refused);
                context.Publish(s => s with { RestartRefused = refused, RefusedUntil = denied.Until });
                return Task.FromResult(false);
            }
            _pending = new PendingRestart(reason, why);
            Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();
            return _pending.Done.Task;
        }
    }

    /// <summary>The restart this pass of the loop serves, if one is pending (it stays shared until completed).</summary>
    public PendingRestart? Take()
    {
        lock (_gate)
        {
            if (_pending is not { } pending) return null;
            context.Log.LogInformation("restarting go2rtc ({Reason}){Why}", pending.Reason, pending.Why.Length > 0 ? ": " + pending.Why : "");
            context.Publish(s => s with { Restarts = s.Restarts + 1, RestartRefused = null, RefusedUntil = null });
            return pending;
        }
    }

    public void Complete(PendingRestart? restart, bool ready)
    {
        if (restart is null) return;
        lock (_gate)
        {
            if (_pending == restart) _pending = null;
        }
        restart.Done.TrySetResult(ready);
    }

    /// <summary>The supervisor stops: whoever waits for a restart hears it did not happen.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            _pending?.Done.TrySetResult(false);
            _pending = null;
        }
    }

    /// <summary>Waits, but wakes early for a restart request; the status shows when the wait ends.</summary>
    public async Task PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        var wake = WakeSignal;
        if (IsPending) return;
        var next = context.Clock.GetUtcNow() + delay;
        // The timer exists before the status names its end: whoever reads that end may count on it.
        var elapsed = Task.Delay(delay, context.Clock, stop);
        context.Publish(s => s with { NextAttemptAt = next });
        await Task.WhenAny(elapsed, wake);
        stop.ThrowIfCancellationRequested();
        context.Publish(s => s with { NextAttemptAt = null });
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
