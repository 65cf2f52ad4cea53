using LightNvr.Metrics;
using LightNvr.Go2rtc;
using LightNvr.Health;

namespace LightNvr.Tests.Health;

public class PrometheusTextTests
{
    [Test]
    [Arguments("plain", "plain")]
    [Arguments(@"back\slash", @"back\\slash")]
    [Arguments("say \"hi\"", "say \\\"hi\\\"")]
    [Arguments("two\nlines", @"two\nlines")]
    [Arguments("\\\"\n", "\\\\\\\"\\n")]
    [Arguments("Vorgarten ✓", "Vorgarten ✓")]
    public async Task Label_values_are_escaped(string value, string escaped) =>
        await Assert.That(PrometheusText.EscapeLabelValue(value)).IsEqualTo(escaped);

    [Test]
    [Arguments(1.0, "1")]
    [Arguments(0.5, "0.5")]
    [Arguments(-2.25, "-2.25")]
    [Arguments(1e21, "1E+21")]
    [Arguments(double.PositiveInfinity, "+Inf")]
    [Arguments(double.NegativeInfinity, "-Inf")]
    [Arguments(double.NaN, "NaN")]
    public async Task Numbers_are_invariant(double value, string text) =>
        await Assert.That(PrometheusText.FormatValue(value)).IsEqualTo(text);

    [Test]
    [Arguments("lightnvr_go2rtc_up", true)]
    [Arguments("ns:sub_metric", true)]
    [Arguments("_x9", true)]
    [Arguments("9x", false)]
    [Arguments("has-dash", false)]
    [Arguments("", false)]
    [Arguments("caf\u00e9", false)]
    public async Task Metric_names_are_validated(string name, bool valid) =>
        await Assert.That(PrometheusText.IsMetricName(name)).IsEqualTo(valid);

    [Test]
    public async Task Families_are_written_whole_with_one_help_and_type_each()
    {
        var text = PrometheusText.Write([
            new MetricFamily("lightnvr_go2rtc_up", "1 when go2rtc answers its API.", MetricType.Gauge, [new MetricSample(1)]),
            new MetricFamily("lightnvr_go2rtc_restarts_total", "Restarts of go2rtc\nby reason \\ cause.", MetricType.Counter,
                [MetricSample.With(2, "reason", "hung"), MetricSample.With(0, "reason", "memory")]),
            new MetricFamily("lightnvr_stream_up", "1 when the stream is live.", MetricType.Gauge,
                [MetricSample.With(1, "stream", "front \"door\""), new MetricSample(0, KeyValuePair.Create("stream", "back"), KeyValuePair.Create("kind", "sub"))]),
        ]);
        await Assert.That(text).IsEqualTo(
            "# HELP lightnvr_go2rtc_up 1 when go2rtc answers its API.\n" +
            "# TYPE lightnvr_go2rtc_up gauge\n" +
            "lightnvr_go2rtc_up 1\n" +
            "# HELP lightnvr_go2rtc_restarts_total Restarts of go2rtc\\nby reason \\\\ cause.\n" +
            "# TYPE lightnvr_go2rtc_restarts_total counter\n" +
            "lightnvr_go2rtc_restarts_total{reason=\"hung\"} 2\n" +
            "lightnvr_go2rtc_restarts_total{reason=\"memory\"} 0\n" +
            "# HELP lightnvr_stream_up 1 when the stream is live.\n" +
            "# TYPE lightnvr_stream_up gauge\n" +
            "lightnvr_stream_up{stream=\"front \\\"door\\\"\"} 1\n" +
            "lightnvr_stream_up{stream=\"back\",kind=\"sub\"} 0\n");
    }

    [Test]
    public async Task A_family_given_twice_or_a_bad_name_is_refused()
    {
        var up = new MetricFamily("lightnvr_go2rtc_up", "h", MetricType.Gauge, [new MetricSample(1)]);
        await Assert.That(() => PrometheusText.Write([up, up])).Throws<ArgumentException>();
        await Assert.That(() => PrometheusText.Write([up with { Name = "bad-name" }])).Throws<ArgumentException>();
        await Assert.That(() => PrometheusText.Write([up with { Samples = [MetricSample.With(1, "__reserved", "x")] }])).Throws<ArgumentException>();
        await Assert.That(() => PrometheusText.Write([up with { Samples = [MetricSample.With(1, "a:b", "x")] }])).Throws<ArgumentException>();
    }

    [Test]
    public async Task An_empty_family_still_declares_itself() =>
        await Assert.That(PrometheusText.Write([new MetricFamily("lightnvr_stream_up", "h", MetricType.Gauge, [])]))
            .IsEqualTo("# HELP lightnvr_stream_up h\n# TYPE lightnvr_stream_up gauge\n");
}
