namespace LightNvr.Go2rtc;

/// <summary>
/// The restart history shared by everything that restarts go2rtc (the supervisor's respawn after an
/// exit, the health checker's hung/consensus/memory restarts, a person's manual restart), so the one
/// budget counts them all, failed attempts included.
/// </summary>
public sealed class RestartLedger(RestartBudgetOptions options)
{
    private readonly Lock _gate = new();
    private RestartHistory _history = RestartHistory.Empty;
    // Counted apart from the ring: the ring drops old entries, a Prometheus counter may never fall.
    private readonly long[] _totals = new long[Enum.GetValues<RestartReason>().Length];

    public RestartBudgetOptions Options { get; } = options;

    public RestartHistory History { get { lock (_gate) return _history; } }

    public BudgetVerdict Decide(RestartReason reason, DateTimeOffset now)
    {
        lock (_gate) return RestartBudget.Decide(_history, now, reason, Options);
    }

    public void Record(RestartEntry entry)
    {
        lock (_gate)
        {
            _history = RestartBudget.Record(_history, entry);
            _totals[(int)entry.Reason]++;
        }
    }

    /// <summary>Restarts recorded since this process started, per reason word (every reason present, zero included).</summary>
    public IReadOnlyDictionary<string, long> Totals
    {
        get
        {
            lock (_gate)
                return Enum.GetValues<RestartReason>().ToDictionary(RestartReasons.Word, r => _totals[(int)r], StringComparer.Ordinal);
        }
    }

    /// <summary>Since when go2rtc has been "failed" (budget spent), or null.</summary>
    public DateTimeOffset? FailedSince(DateTimeOffset now)
    {
        lock (_gate) return RestartBudget.FailedSince(_history, now, Options);
    }
}
