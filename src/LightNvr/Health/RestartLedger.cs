namespace LightNvr.Health;

/// <summary>
/// The restart history shared by everything that restarts go2rtc (the supervisor's respawn after an
/// exit, the health checker's hung/consensus/memory restarts, a person's manual restart), so the one
/// budget counts them all, failed attempts included.
/// </summary>
public sealed class RestartLedger(RestartBudgetOptions options)
{
    private readonly Lock _gate = new();
    private RestartHistory _history = RestartHistory.Empty;

    public RestartBudgetOptions Options { get; } = options;

    public RestartHistory History { get { lock (_gate) return _history; } }

    public BudgetVerdict Decide(RestartReason reason, DateTimeOffset now)
    {
        lock (_gate) return RestartBudget.Decide(_history, now, reason, Options);
    }

    public void Record(RestartEntry entry)
    {
        lock (_gate) _history = RestartBudget.Record(_history, entry);
    }

    /// <summary>Since when go2rtc has been "failed" (budget spent), or null.</summary>
    public DateTimeOffset? FailedSince(DateTimeOffset now)
    {
        lock (_gate) return RestartBudget.FailedSince(_history, now, Options);
    }
}
