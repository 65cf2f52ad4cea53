using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Status;

namespace LightNvr.Metrics;

/// <summary><c>GET /metrics</c>: the health snapshot and every <see cref="IMetricSource"/> in Prometheus text.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (ApplianceStateOwner appliance, HttpContext http) =>
            TypedResults.Text(PrometheusText.Write(Of(appliance.Current.Health)
                .Concat(http.RequestServices.GetServices<IMetricSource>().SelectMany(s => s.Metrics())).Concat(GcMetrics.Now())), PrometheusText.ContentType));
        return app;
    }

    /// <summary>The health snapshot as metric families (pure).</summary>
    public static IEnumerable<MetricFamily> Of(HealthSnapshot s)
    {
        var up = s.Go2rtc.Phase == Go2rtcPhase.Ready && s.Api == ApiHealth.Healthy ? 1 : 0;
        yield return new MetricFamily("lightnvr_go2rtc_up", "1 when go2rtc is ready and its API answers.", MetricType.Gauge, [new(up)]);
        yield return new MetricFamily("lightnvr_go2rtc_restarts_total", "go2rtc restarts by reason since the appliance started.", MetricType.Counter,
            Enum.GetValues<RestartReason>().Select(r => MetricSample.With(s.RestartTotals.GetValueOrDefault(RestartReasons.Word(r)), "reason", RestartReasons.Word(r))).ToList());
        yield return new MetricFamily("lightnvr_go2rtc_rss_bytes", "go2rtc's resident memory.", MetricType.Gauge, [new(s.RssBytes)]);
        yield return new MetricFamily("lightnvr_go2rtc_cpu_percent", "go2rtc's CPU use, percent of one core.", MetricType.Gauge, [new(s.CpuPercent ?? 0)]);
        yield return new MetricFamily("lightnvr_go2rtc_api_misses", "Consecutive missed API probes.", MetricType.Gauge, [new(s.ApiMisses)]);
        yield return new MetricFamily("lightnvr_stream_up", "1 when the camera's stream is live.", MetricType.Gauge,
            s.Streams.Select(x => MetricSample.With(x.State == Liveness.Live ? 1 : 0, "stream", x.Name)).ToList());
        yield return new MetricFamily("lightnvr_stream_bytes_total", "Bytes go2rtc received from the camera.", MetricType.Counter,
            s.Streams.Select(x => MetricSample.With(x.BytesTotal, "stream", x.Name)).ToList());
    }
}
