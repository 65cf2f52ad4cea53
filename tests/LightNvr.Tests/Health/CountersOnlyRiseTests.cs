using LightNvr.Metrics;
using LightNvr.Go2rtc;
using System.Globalization;
using System.Text.RegularExpressions;
using LightNvr.Health;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Health;

/// <summary>Prometheus counters rise for the life of the process, whatever ring or producer sits behind them.</summary>
public partial class CountersOnlyRiseTests
{
    [GeneratedRegex(@"^lightnvr_go2rtc_restarts_total\{reason=""([a-z-]+)""\} (\d+)$", RegexOptions.Multiline)]
    private static partial Regex RestartSample();

    private static Dictionary<string, long> Restarts(string metrics) =>
        RestartSample().Matches(metrics).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [Test]
    public async Task Restart_totals_keep_counting_past_the_twenty_entry_ring_per_reason()
    {
        var ledger = new RestartLedger(RestartBudgetOptions.Default);
        var at = DateTimeOffset.UnixEpoch;
        var previous = new Dictionary<string, long>();
        // 5 exits first, then 25 manual restarts push every exit out of the ring.
        var reasons = Enumerable.Repeat(RestartReason.Exited, 5).Concat(Enumerable.Repeat(RestartReason.Manual, 25)).ToList();
        foreach (var reason in reasons)
        {
            ledger.Record(new RestartEntry(at = at.AddMinutes(1), reason, RestartOutcome.Ok));
            var snapshot = HealthSnapshot.Initial(new()) with { Restarts = ledger.History.Entries, RestartTotals = ledger.Totals };
            var now = Restarts(PrometheusText.Write(MetricsEndpoints.Of(snapshot)));
            foreach (var (word, value) in previous) await Assert.That(now[word]).IsGreaterThanOrEqualTo(value).Because(word);
            previous = now;
        }
        await Assert.That(ledger.History.Entries.Length).IsEqualTo(RestartHistory.DefaultCapacity);
        await Assert.That(previous["manual"]).IsEqualTo(25);
        await Assert.That(previous["exited"]).IsEqualTo(5);
        await Assert.That(previous["hung"]).IsEqualTo(0); // every reason is a series from the start
    }

    [Test]
    [Arguments(null, 500L, 500L)]       // first sample: everything so far
    [Arguments(500L, 800L, 300L)]       // the same producer: the difference
    [Arguments(800L, 800L, 0L)]         // flat
    [Arguments(800L, 120L, 120L)]       // a new producer (re-registration, reconnect, new go2rtc) counts from zero
    [Arguments(800L, 0L, 0L)]           // gone for now
    public async Task Stream_bytes_add_what_go2rtc_received_since_the_last_sample(long? previous, long now, long added) =>
        await Assert.That(HealthFold.BytesSince(previous, now)).IsEqualTo(added);

    [Test]
    [NotInParallel("go2rtc-lifecycle")]
    public async Task Twenty_three_restarts_through_the_api_show_twenty_three_on_metrics_never_falling()
    {
        await using var app = new AppHarness().WithPassword("counters-only-rise");
        await app.Start();
        await app.WaitReady();
        using var http = app.AuthedHttp();
        long last = 0;
        for (var i = 1; i <= 23; i++)
        {
            using var restart = await http.PostAsync("/api/go2rtc/restart", null);
            await Assert.That((int)restart.StatusCode).IsEqualTo(200);
            var seen = await Wait.Until(async () =>
            {
                var manual = Restarts(await http.GetStringAsync("/metrics")).GetValueOrDefault("manual");
                if (manual < last) throw new Exception($"lightnvr_go2rtc_restarts_total{{reason=\"manual\"}} fell from {last} to {manual}");
                return manual >= i ? (object)manual : null;
            }, TimeSpan.FromSeconds(20), $"restart {i} on /metrics");
            last = (long)seen;
        }
        await Assert.That(last).IsEqualTo(23);
    }
}
