using LightNvr.Health;
using static LightNvr.Tests.Health.HealthFixtures;

namespace LightNvr.Tests.Health;

public class ResourceWatchTests
{
    private const long Limit = 400_000_000;
    private static readonly ResourceOptions Options = new(Limit, TimeSpan.FromSeconds(60), 90, TimeSpan.FromMinutes(5));

    // "seconds:rssMB" samples, pid 7, no CPU; the last sample's verdict.
    [Test]
    [Arguments("0:500", false)]
    [Arguments("0:500 30:500 59:500", false)]  // over the limit for 59 s
    [Arguments("0:500 30:500 60:500", true)]   // 60 s
    [Arguments("0:500 30:300 60:500 90:500", false)] // a dip below restarts the clock
    [Arguments("0:500 30:300 60:500 120:500", true)]
    [Arguments("0:400 60:400", false)]         // at the limit is not over it
    public async Task Rss_over_the_limit_for_a_minute_restarts(string samples, bool restart)
    {
        var (_, v) = Run(samples.Split(' ').Select(t => t.Split(':'))
            .Select(p => new ResourceSample(T0.AddSeconds(int.Parse(p[0])), 7, long.Parse(p[1]) * 1_000_000, 0)));
        await Assert.That(v.RestartForMemory).IsEqualTo(restart);
    }

    [Test]
    public async Task A_new_process_starts_a_new_series()
    {
        var (_, v) = Run([new(T0, 7, Limit + 1, 0), new(T0.AddSeconds(30), 8, Limit + 1, 0), new(T0.AddSeconds(60), 8, Limit + 1, 0)]);
        await Assert.That(v.RestartForMemory).IsFalse();
    }

    [Test]
    [Arguments(0L, 100L, 100L, 1.0, 100.0)]
    [Arguments(0L, 50L, 100L, 1.0, 50.0)]
    [Arguments(1000L, 1300L, 100L, 2.0, 150.0)] // more than one core
    [Arguments(0L, 15L, 100L, 30.0, 0.5)]
    [Arguments(0L, 100L, 250L, 4.0, 10.0)]
    [Arguments(0L, 100L, 100L, 0.0, 0.0)]       // no elapsed time: no rate
    [Arguments(100L, 50L, 100L, 1.0, 0.0)]      // counter went backwards
    public async Task Cpu_percent_of_one_core(long before, long after, long ticksPerSecond, double seconds, double expected) =>
        await Assert.That(ResourceWatch.CpuPercent(before, after, ticksPerSecond, TimeSpan.FromSeconds(seconds))).IsEqualTo(expected).Within(1e-9);

    [Test]
    public async Task Cpu_above_ninety_percent_for_five_minutes_warns_and_never_restarts()
    {
        // 95 % of a core: 95 ticks per second at 100 ticks/s, sampled every 30 s.
        var samples = Enumerable.Range(0, 11).Select(i => new ResourceSample(T0.AddSeconds(30 * i), 7, 1, 95L * 30 * i)).ToList();
        var (_, at270) = Run(samples.Take(10));  // high since 0 s, 270 s so far
        var (_, at300) = Run(samples);
        await Assert.That(at270.CpuWarning).IsFalse();
        await Assert.That(at300.CpuWarning).IsTrue();
        await Assert.That(at300.CpuPercent!.Value).IsEqualTo(95.0).Within(1e-9);
        await Assert.That(at300.RestartForMemory).IsFalse();
        var dip = samples.Take(5).Append(new ResourceSample(T0.AddSeconds(150), 7, 1, 95L * 120 + 100))
            .Concat(Enumerable.Range(6, 5).Select(i => new ResourceSample(T0.AddSeconds(30 * i), 7, 1, 95L * 120 + 100 + 95L * 30 * (i - 5))));
        await Assert.That(Run(dip).Verdict.CpuWarning).IsFalse();
    }

    [Test]
    public async Task The_first_sample_has_no_cpu_figure() =>
        await Assert.That(ResourceWatch.Next(ResourceWatchState.Empty, new(T0, 7, 1, 500), Options).Verdict.CpuPercent).IsNull();

    [Test]
    [Arguments("MemTotal:        3884360 kB\nMemFree:          123 kB\n", 3884360L * 1024)]
    [Arguments("MemFree:          123 kB\nMemTotal: 1024 kB", 1048576L)]
    [Arguments("MemFree:          123 kB\n", null)]
    [Arguments("MemTotal:   lots kB\n", null)]
    [Arguments("MemTotal:   12 MB\n", null)]
    [Arguments("", null)]
    public async Task MemTotal_is_parsed_from_proc_meminfo(string text, long? expected) =>
        await Assert.That(ResourceWatch.ParseMemTotal(text)).IsEqualTo(expected);

    [Test]
    public async Task The_default_limit_is_forty_percent_of_memory() =>
        await Assert.That(ResourceOptions.ForMemTotal(1_000_000_000).RssLimitBytes).IsEqualTo(400_000_000L);

    private static (ResourceWatchState State, ResourceVerdict Verdict) Run(IEnumerable<ResourceSample> samples) =>
        samples.Aggregate((ResourceWatchState.Empty, ResourceVerdict.Nothing), (acc, s) => ResourceWatch.Next(acc.Item1, s, Options));
}
