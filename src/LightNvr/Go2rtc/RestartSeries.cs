namespace LightNvr.Go2rtc;

/// <summary>
/// The supervisor's memory of the current series of starts: why the next one happens, how many
/// failed in a row (the 1, 2, 4 … s backoff of <see cref="RestartPacing"/>), when go2rtc was last
/// respawned at once, and the restart whose outcome the shared history still lacks. Only the
/// supervisor's loop touches it.
/// </summary>
internal sealed class RestartSeries(RestartLedger ledger, TimeProvider clock)
{
    private RestartReason? _next; // null for the first start after boot
    private (RestartReason Reason, bool IsRetry)? _attempt;
    private int _failures;
    private long? _lastImmediate;

    /// <summary>A requested restart is about to be served: it is why the next start happens.</summary>
    public void Requested(RestartReason reason)
    {
        _next = reason;
        if (RestartBudget.IsByPerson(reason)) _failures = 0; // a person's restart starts a fresh series
    }

    /// <summary>Why the next start happens (null: the first after boot) and the budget's word on it; only automatic reasons are budgeted.</summary>
    public (RestartReason? Reason, BudgetVerdict Verdict) Admit() =>
        _next is { } reason && RestartBudget.IsAutomatic(reason)
            ? (reason, ledger.Decide(reason, clock.GetUtcNow()))
            : (_next, new BudgetVerdict.Allowed());

    /// <summary>The start about to be made is a restart for this reason; its outcome goes into the history.</summary>
    public void Attempting(RestartReason? reason, bool isRetry) => _attempt = reason is { } r ? (r, isRetry) : null;

    /// <summary>Writes the outcome of the restart being attempted into the shared history, once.</summary>
    public void Record(bool ok)
    {
        if (_attempt is not { } a) return;
        _attempt = null;
        ledger.Record(new RestartEntry(clock.GetUtcNow(), a.Reason, ok ? RestartOutcome.Ok : RestartOutcome.Failed, a.IsRetry));
    }

    /// <summary>After a start attempt: what follows a failed start or an exit is an automatic restart (a person's reason stays until served).</summary>
    public void AfterAttempt() => _next ??= RestartReason.Exited;

    /// <summary>One more failure in a row, and how long to wait before the next start.</summary>
    public TimeSpan NextBackoff()
    {
        _failures++;
        return RestartPacing.Delay(_failures);
    }

    /// <summary>
    /// A ready go2rtc exited after running so long: true to respawn it at once, false to back off first
    /// (<see cref="NextBackoff"/> then counts this exit).
    /// </summary>
    public bool RespawnAtOnce(TimeSpan ranFor)
    {
        var now = clock.GetTimestamp();
        _next = RestartReason.Exited;
        var failures = RestartPacing.AfterRun(_failures, ranFor, becameReady: true);
        if (RestartPacing.RespawnAtOnce(_lastImmediate is { } last ? clock.GetElapsedTime(last, now) : TimeSpan.MaxValue))
        {
            _lastImmediate = now;
            _failures = failures;
            return true;
        }
        _failures = failures - 1;
        return false;
    }
}
