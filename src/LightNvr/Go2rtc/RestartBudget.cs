using System.Collections.Immutable;

namespace LightNvr.Go2rtc;

/// <summary>Why go2rtc was restarted. Manual, Button and Console are a person's (never budgeted); the rest are automatic.</summary>
public enum RestartReason { Exited, Hung, Consensus, Memory, ConfigChanged, Manual, Button, Console }

public static class RestartReasons
{
    /// <summary>The reason as one lower-case word, as the API, the metrics and the page show it.</summary>
    public static string Word(RestartReason reason) => reason switch
    {
        RestartReason.ConfigChanged => "config-changed",
        _ => reason.ToString().ToLowerInvariant(),
    };
}

public enum RestartOutcome { Ok, Failed }

/// <param name="IsRetry">Made as the periodic retry of a go2rtc marked failed.</param>
public sealed record RestartEntry(DateTimeOffset At, RestartReason Reason, RestartOutcome Outcome, bool IsRetry = false);

/// <summary>The last restarts, oldest first, capped (a ring): for the budget, the UI and the metrics.</summary>
public sealed record RestartHistory(ImmutableArray<RestartEntry> Entries)
{
    public const int DefaultCapacity = 20;
    public static readonly RestartHistory Empty = new(ImmutableArray<RestartEntry>.Empty);
}

public abstract record BudgetVerdict
{
    public sealed record Allowed : BudgetVerdict;
    /// <summary>go2rtc is failed: no automatic restart before <see cref="Until"/>.</summary>
    public sealed record Denied(DateTimeOffset Until) : BudgetVerdict;
    /// <summary>go2rtc is failed, but the periodic retry is due.</summary>
    public sealed record RetryAllowed : BudgetVerdict;
}

/// <param name="MaxAutomatic">Automatic restarts (attempts, ok or failed) allowed within <paramref name="Window"/>.</param>
public sealed record RestartBudgetOptions(int MaxAutomatic, TimeSpan Window, TimeSpan RetryEvery)
{
    public static readonly RestartBudgetOptions Default = new(5, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));
}

/// <summary>
/// How many times go2rtc may be restarted without a person. Every attempt counts, failed ones
/// included: a budget that counted only successes would retry a failing restart every 30 s forever. Pure.
/// </summary>
public static class RestartBudget
{
    /// <summary>A person asked (API, console, button) or changed the config: new information, always allowed.</summary>
    public static bool IsAutomatic(RestartReason reason) => !IsByPerson(reason) && reason != RestartReason.ConfigChanged;

    /// <summary>Asked for by a person (status page or API, the reset button, the maintenance console).</summary>
    public static bool IsByPerson(RestartReason reason) => reason is RestartReason.Manual or RestartReason.Button or RestartReason.Console;

    public static BudgetVerdict Decide(RestartHistory history, DateTimeOffset now, RestartReason reason, RestartBudgetOptions? options = null)
    {
        var o = options ?? RestartBudgetOptions.Default;
        if (!IsAutomatic(reason)) return new BudgetVerdict.Allowed();
        if (FailedSince(history, now, o) is not { } lastAttempt) return new BudgetVerdict.Allowed();
        var retryAt = lastAttempt + o.RetryEvery;
        return now >= retryAt ? new BudgetVerdict.RetryAllowed() : new BudgetVerdict.Denied(retryAt);
    }

    /// <summary>
    /// When go2rtc is failed (the budget is spent, or the last retry failed too), the time of the last
    /// automatic attempt; null when it is not failed. Only entries after the last manual restart count:
    /// a manual restart resets the budget.
    /// </summary>
    public static DateTimeOffset? FailedSince(RestartHistory history, DateTimeOffset now, RestartBudgetOptions? options = null)
    {
        var o = options ?? RestartBudgetOptions.Default;
        var automatic = history.Entries.Reverse().TakeWhile(e => !IsByPerson(e.Reason))
            .Where(e => IsAutomatic(e.Reason)).ToList(); // newest first
        if (automatic.Count == 0) return null;
        var last = automatic[0];
        var inWindow = automatic.Count(e => now - e.At < o.Window);
        // A failed retry keeps go2rtc failed even once the window has emptied: retries stay 5 min apart.
        return inWindow >= o.MaxAutomatic || (last.IsRetry && last.Outcome == RestartOutcome.Failed) ? last.At : null;
    }

    /// <summary>A new history with <paramref name="entry"/> appended and the oldest entries dropped past the capacity.</summary>
    public static RestartHistory Record(RestartHistory history, RestartEntry entry, int capacity = RestartHistory.DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var all = history.Entries.Add(entry);
        return new RestartHistory(all.Length > capacity ? all.RemoveRange(0, all.Length - capacity) : all);
    }
}
