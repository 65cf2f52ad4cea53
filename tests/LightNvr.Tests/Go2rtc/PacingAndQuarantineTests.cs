using LightNvr.Go2rtc;

namespace LightNvr.Tests.Go2rtc;

public class PacingAndQuarantineTests
{
    [Test]
    public async Task Backoff_doubles_to_a_minute()
    {
        var delays = Enumerable.Range(1, 9).Select(n => (int)RestartPacing.Delay(n).TotalSeconds).ToArray();
        await Assert.That(delays).IsEquivalentTo(new[] { 1, 2, 4, 8, 16, 32, 60, 60, 60 });
    }

    [Test]
    public async Task A_minute_of_ready_run_resets_the_series()
    {
        await Assert.That(RestartPacing.AfterRun(6, TimeSpan.FromMinutes(1), becameReady: true)).IsEqualTo(1);
        await Assert.That(RestartPacing.AfterRun(6, TimeSpan.FromSeconds(59), becameReady: true)).IsEqualTo(7);
        await Assert.That(RestartPacing.AfterRun(6, TimeSpan.FromMinutes(9), becameReady: false)).IsEqualTo(7);
    }

    [Test]
    public async Task A_ready_go2rtc_is_respawned_at_once_at_most_once_a_minute()
    {
        await Assert.That(RestartPacing.RespawnAtOnce(TimeSpan.MaxValue)).IsTrue();
        await Assert.That(RestartPacing.RespawnAtOnce(TimeSpan.FromSeconds(61))).IsTrue();
        await Assert.That(RestartPacing.RespawnAtOnce(TimeSpan.FromSeconds(59))).IsFalse();
    }

    [Test]
    public async Task Three_failures_with_the_file_then_a_good_start_without_it_moves_it_aside()
    {
        var q = new Quarantine();
        for (var i = 0; i < 3; i++)
        {
            await Assert.That(q.UsePersonFile).IsTrue();
            (q, var v) = q.AfterStart(usedPersonFile: true, started: false);
            await Assert.That(v).IsEqualTo(Quarantine.Verdict.Keep);
        }
        await Assert.That(q.UsePersonFile).IsFalse();
        var (next, verdict) = q.AfterStart(usedPersonFile: false, started: true);
        await Assert.That(verdict).IsEqualTo(Quarantine.Verdict.MoveAside);
        await Assert.That(next.UsePersonFile).IsTrue();
    }

    [Test]
    public async Task If_go2rtc_fails_without_the_file_too_the_file_is_kept()
    {
        var q = new Quarantine(3, TrialWithout: true);
        var (next, verdict) = q.AfterStart(usedPersonFile: false, started: false);
        await Assert.That(verdict).IsEqualTo(Quarantine.Verdict.Keep);
        await Assert.That(next.UsePersonFile).IsTrue();
        await Assert.That(next.FailuresWithPersonFile).IsEqualTo(0);
    }

    [Test]
    public async Task A_good_start_clears_the_count()
    {
        var (q, _) = new Quarantine(2).AfterStart(usedPersonFile: true, started: true);
        await Assert.That(q.FailuresWithPersonFile).IsEqualTo(0);
    }
}
