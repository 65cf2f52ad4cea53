using LightNvr.Hosting;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Hosting;

public class GuardedLoopTests
{
    [Test]
    public async Task Whatever_a_pass_throws_the_loop_logs_it_and_runs_again_after_a_growing_pause()
    {
        var clock = new FakeTimeProvider();
        var passes = 0;
        // A timeout's cancellation (not ours), a plain bug, an I/O fault; then a pass that ends normally.
        Exception[] faults = [new TaskCanceledException("a deadline"), new InvalidOperationException("Operation is not valid"), new IOException("reset")];
        using var stop = new CancellationTokenSource();
        var run = GuardedLoop.RunAsync("test", _ =>
        {
            var n = Interlocked.Increment(ref passes);
            return n <= faults.Length ? Task.FromException(faults[n - 1]) : Task.CompletedTask;
        }, NullLogger.Instance, clock, stop.Token);

        await Wait.Until(() => passes == 1, TimeSpan.FromSeconds(5), "the first pass");
        clock.Advance(TimeSpan.FromMilliseconds(999));
        await Assert.That(passes).IsEqualTo(1); // the pause is 1 s ...
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Wait.Until(() => passes == 2, TimeSpan.FromSeconds(5), "the second pass");
        clock.Advance(TimeSpan.FromSeconds(1.5));
        await Assert.That(passes).IsEqualTo(2); // ... then 2 s
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await Wait.Until(() => passes == 3, TimeSpan.FromSeconds(5), "the third pass");
        clock.Advance(TimeSpan.FromSeconds(4));
        await run.WaitAsync(TimeSpan.FromSeconds(5)); // ended normally: no exception reached the host
        await Assert.That(passes).IsEqualTo(4);
    }

    [Test]
    public async Task Stopping_ends_the_loop_quietly_whatever_the_body_throws_on_its_way_out()
    {
        using var stop = new CancellationTokenSource();
        var run = GuardedLoop.RunAsync("test", async token =>
        {
            try { await Task.Delay(Timeout.Infinite, token); }
            finally { throw new ObjectDisposedException("a client"); }
        }, NullLogger.Instance, TimeProvider.System, stop.Token);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.That(run.IsCompletedSuccessfully).IsTrue();
    }

    [Test]
    public async Task The_pause_never_grows_past_thirty_seconds()
    {
        var clock = new FakeTimeProvider();
        var passes = 0;
        using var stop = new CancellationTokenSource();
        var run = GuardedLoop.RunAsync("test", _ => { Interlocked.Increment(ref passes); return Task.FromException(new Exception("always")); },
            NullLogger.Instance, clock, stop.Token);
        for (var i = 1; i <= 8; i++)
        {
            await Wait.Until(() => passes == i, TimeSpan.FromSeconds(5), $"pass {i}");
            clock.Advance(GuardedLoop.MaxPause);
        }
        await Wait.Until(() => passes == 9, TimeSpan.FromSeconds(5), "pass 9 after a 30 s pause");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
