using LightNvr.Limits;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Limits;

public class SlidingWindowPerClientTests
{
    [Test]
    public async Task A_burst_across_a_window_edge_cannot_double_the_limit()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var offers = new SlidingWindowPerClient(6, TimeSpan.FromSeconds(10), clock);
        clock.Advance(TimeSpan.FromSeconds(9));
        for (var i = 0; i < 6; i++) await Assert.That(offers.TryTake("10.0.0.1")).IsNull();
        clock.Advance(TimeSpan.FromSeconds(2)); // a fixed 10 s window would have reset at t = 10 s
        await Assert.That(offers.TryTake("10.0.0.1")).IsEqualTo(TimeSpan.FromSeconds(8));
        await Assert.That(offers.TryTake("10.0.0.2")).IsNull();
    }

    [Test]
    public async Task A_refused_event_is_not_counted_so_the_wait_does_not_grow()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var offers = new SlidingWindowPerClient(2, TimeSpan.FromSeconds(10), clock);
        await Assert.That(offers.TryTake("a")).IsNull();
        clock.Advance(TimeSpan.FromSeconds(4));
        await Assert.That(offers.TryTake("a")).IsNull();
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Assert.That(offers.TryTake("a")).IsNotNull();
        }
        // Now t = 9 s: the first event leaves the window at 10 s, whatever was refused meanwhile.
        await Assert.That(offers.RetryAfter("a")).IsEqualTo(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.That(offers.TryTake("a")).IsNull();
    }

    [Test]
    [Arguments(0.2, "1")]
    [Arguments(1.0, "1")]
    [Arguments(1.01, "2")]
    [Arguments(59.5, "60")]
    public async Task Retry_after_is_whole_seconds_rounded_up(double seconds, string header) =>
        await Assert.That(SlidingWindowPerClient.Seconds(TimeSpan.FromSeconds(seconds))).IsEqualTo(header);
}
