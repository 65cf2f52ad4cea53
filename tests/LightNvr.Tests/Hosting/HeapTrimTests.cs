using LightNvr.Hosting;
using LightNvr.Tests.Support;
using LightNvr.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Hosting;

public class HeapTrimTests
{
    private const long MB = 1024 * 1024;

    [Test]
    [Arguments(1, 30, 20, true)]    // quiet, 10 MB over the last trim: the burst is over
    [Arguments(20, 30, 20, false)]  // still busy: wait for the burst to end
    [Arguments(1, 21, 20, false)]   // quiet, but only 1 MB over the last trim: nothing worth a collection
    [Arguments(7.9, 22.5, 20, true)] // just quiet, just over the slack
    [Arguments(8, 30, 20, false)]   // the quiet bound is exclusive
    [Arguments(0, 22, 20, false)]   // the slack bound is exclusive
    public async Task Trims_only_when_quiet_and_holding_more_than_after_the_last_trim(double allocatedMb, double committedMb, double afterTrimMb, bool trim)
    {
        var previous = new HeapSample(100 * MB, 0);
        var now = new HeapSample(100 * MB + (long)(allocatedMb * MB), (long)(committedMb * MB));
        await Assert.That(HeapTrimRule.ShouldTrim(previous, now, (long)(afterTrimMb * MB))).IsEqualTo(trim);
    }

    [Test]
    public async Task After_a_burst_the_loop_collects_once_when_it_is_quiet_and_not_again_until_the_heap_grows()
    {
        var clock = new TimerClock(DateTimeOffset.UnixEpoch);
        long allocated = 0, committed = 10 * MB;
        var collections = 0;
        var trim = new HeapTrim(clock, NullLogger<HeapTrim>.Instance)
        {
            Sample = () => new HeapSample(Interlocked.Read(ref allocated), Interlocked.Read(ref committed)),
            Collect = () => { collections++; Interlocked.Exchange(ref committed, 6 * MB); },
        };
        await trim.StartAsync(CancellationToken.None);
        var at = DateTimeOffset.UnixEpoch;

        async Task Period(long allocatedMb, long committedMb)
        {
            Interlocked.Add(ref allocated, allocatedMb * MB);
            Interlocked.Exchange(ref committed, committedMb * MB);
            at += HeapTrimRule.Period;
            await clock.AdvanceTo(at, "the heap trim's tick");
        }

        await Period(1, 10);   // idle at the size it started with
        await Period(60, 25);  // a burst: busy, so no collection yet
        await Wait.Until(() => clock.Due.Contains(at + HeapTrimRule.Period), TimeSpan.FromSeconds(5), "the next tick armed");
        await Assert.That(collections).IsEqualTo(0);
        await Period(1, 25);   // quiet again, holding 15 MB more: one collection
        await Wait.Until(() => collections == 1, TimeSpan.FromSeconds(5), "the trim after the burst");
        await Period(1, 7);    // quiet, near what the trim left: nothing
        await Period(1, 7);
        await Wait.Until(() => clock.Due.Contains(at + HeapTrimRule.Period), TimeSpan.FromSeconds(5), "the next tick armed");
        await Assert.That(collections).IsEqualTo(1);
        await Assert.That(trim.Trims).IsEqualTo(1);
        await trim.StopAsync(CancellationToken.None);
    }
}
