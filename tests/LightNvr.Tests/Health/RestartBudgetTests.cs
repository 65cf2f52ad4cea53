using LightNvr.Go2rtc;
using LightNvr.Health;
using static LightNvr.Tests.Health.HealthFixtures;

namespace LightNvr.Tests.Health;

public class RestartBudgetTests
{
    private static RestartHistory History(params (int Minute, RestartReason Reason, RestartOutcome Outcome, bool Retry)[] entries) =>
        entries.Aggregate(RestartHistory.Empty, (h, e) =>
            RestartBudget.Record(h, new RestartEntry(T0.AddMinutes(e.Minute), e.Reason, e.Outcome, e.Retry)));

    private static (int, RestartReason, RestartOutcome, bool)[] Auto(int count, RestartOutcome outcome = RestartOutcome.Ok) =>
        Enumerable.Range(0, count).Select(i => (i, RestartReason.Hung, outcome, false)).ToArray();

    [Test]
    [Arguments(0)]
    [Arguments(4)]
    public async Task Up_to_five_automatic_restarts_in_ten_minutes_are_allowed(int before)
    {
        var v = RestartBudget.Decide(History(Auto(before)), T0.AddMinutes(before), RestartReason.Consensus);
        await Assert.That(v).IsTypeOf<BudgetVerdict.Allowed>();
    }

    [Test]
    [Arguments(RestartOutcome.Ok)]
    [Arguments(RestartOutcome.Failed)] // failed attempts count (LightNVR did not count them)
    public async Task The_sixth_is_denied_until_a_retry_five_minutes_after_the_last(RestartOutcome outcome)
    {
        var h = History(Auto(5, outcome)); // minutes 0..4
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(5), RestartReason.Exited))
            .IsEqualTo(new BudgetVerdict.Denied(T0.AddMinutes(9)));
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(9), RestartReason.Exited)).IsTypeOf<BudgetVerdict.RetryAllowed>();
    }

    [Test]
    public async Task A_failed_retry_keeps_go2rtc_failed_after_the_window_has_emptied()
    {
        var h = History([.. Auto(5, RestartOutcome.Failed), (9, RestartReason.Hung, RestartOutcome.Failed, true)]);
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(13), RestartReason.Hung)).IsEqualTo(new BudgetVerdict.Denied(T0.AddMinutes(14)));
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(14), RestartReason.Hung)).IsTypeOf<BudgetVerdict.RetryAllowed>();
        await Assert.That(RestartBudget.Decide(h, T0.AddHours(5), RestartReason.Hung)).IsTypeOf<BudgetVerdict.RetryAllowed>();
    }

    [Test]
    public async Task A_successful_retry_ends_failed_once_the_window_drains()
    {
        var h = History([.. Auto(5, RestartOutcome.Failed), (9, RestartReason.Hung, RestartOutcome.Ok, true)]);
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(9.5), RestartReason.Hung)).IsTypeOf<BudgetVerdict.Denied>();
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(12), RestartReason.Hung)).IsTypeOf<BudgetVerdict.Allowed>();
    }

    [Test]
    public async Task Restarts_older_than_the_window_do_not_count()
    {
        var h = History(Auto(5));
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(10), RestartReason.Hung)).IsTypeOf<BudgetVerdict.Allowed>();
    }

    [Test]
    public async Task Manual_is_always_allowed_and_resets_the_budget()
    {
        var h = History(Auto(5, RestartOutcome.Failed));
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(5), RestartReason.Manual)).IsTypeOf<BudgetVerdict.Allowed>();
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(5), RestartReason.ConfigChanged)).IsTypeOf<BudgetVerdict.Allowed>();
        h = RestartBudget.Record(h, new RestartEntry(T0.AddMinutes(5), RestartReason.Manual, RestartOutcome.Ok));
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(5), RestartReason.Hung)).IsTypeOf<BudgetVerdict.Allowed>();
        await Assert.That(RestartBudget.FailedSince(h, T0.AddMinutes(5))).IsNull();
    }

    [Test]
    public async Task Limits_are_configurable()
    {
        var o = new RestartBudgetOptions(2, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30));
        var h = History(Auto(2)); // minutes 0 and 1
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(1.25), RestartReason.Hung, o)).IsEqualTo(new BudgetVerdict.Denied(T0.AddMinutes(1.5)));
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(1.5), RestartReason.Hung, o)).IsTypeOf<BudgetVerdict.RetryAllowed>();
        await Assert.That(RestartBudget.Decide(h, T0.AddMinutes(5), RestartReason.Hung, o)).IsTypeOf<BudgetVerdict.Allowed>();
    }

    [Test]
    public async Task The_history_keeps_the_last_twenty_and_is_immutable()
    {
        var h = History(Auto(25));
        await Assert.That(h.Entries.Length).IsEqualTo(20);
        await Assert.That(h.Entries[0].At).IsEqualTo(T0.AddMinutes(5));
        var longer = RestartBudget.Record(RestartHistory.Empty, h.Entries[0]);
        await Assert.That(RestartHistory.Empty.Entries.Length).IsEqualTo(0);
        await Assert.That(longer.Entries.Length).IsEqualTo(1);
    }
}
