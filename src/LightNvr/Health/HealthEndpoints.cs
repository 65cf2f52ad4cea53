namespace LightNvr.Health;

/// <summary><c>GET /api/health</c> (the snapshot as JSON) and <c>GET /metrics</c> (the same in Prometheus text).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (HealthLoop health) => TypedResults.Ok(health.Snapshot));
        app.MapGet("/metrics", (HealthLoop health, HttpContext http) =>
            TypedResults.Text(PrometheusText.Write(Metrics(health.Snapshot)
                .Concat(http.RequestServices.GetServices<IMetricSource>().SelectMany(s => s.Metrics()))), PrometheusText.ContentType));
        return app;
    }

    /// <summary>The snapshot as metric families (pure).</summary>
    public static IEnumerable<MetricFamily> Metrics(HealthSnapshot s)
    {
        var up = s.Go2rtc.Phase == Go2rtc.Go2rtcPhase.Ready && s.Api == ApiHealth.Healthy ? 1 : 0;
        yield return new MetricFamily("lightnvr_go2rtc_up", "1 when go2rtc is ready and its API answers.", MetricType.Gauge, [new(up)]);
        yield return new MetricFamily("lightnvr_go2rtc_restarts_total", "go2rtc restarts by reason since the appliance started.", MetricType.Counter,
            Enum.GetValues<RestartReason>().Select(r => MetricSample.With(s.RestartTotals.GetValueOrDefault(Word(r)), "reason", Word(r))).ToList());
        yield return new MetricFamily("lightnvr_go2rtc_rss_bytes", "go2rtc's resident memory.", MetricType.Gauge, [new(s.RssBytes)]);
        yield return new MetricFamily("lightnvr_go2rtc_cpu_percent", "go2rtc's CPU use, percent of one core.", MetricType.Gauge, [new(s.CpuPercent ?? 0)]);
        yield return new MetricFamily("lightnvr_go2rtc_api_misses", "Consecutive missed API probes.", MetricType.Gauge, [new(s.ApiMisses)]);
        yield return new MetricFamily("lightnvr_stream_up", "1 when the camera's stream is live.", MetricType.Gauge,
            s.Streams.Select(x => MetricSample.With(x.State == Liveness.Live ? 1 : 0, "stream", x.Name)).ToList());
        yield return new MetricFamily("lightnvr_stream_bytes_total", "Bytes go2rtc received from the camera.", MetricType.Counter,
            s.Streams.Select(x => MetricSample.With(x.BytesTotal, "stream", x.Name)).ToList());
    }

    public static string Word(RestartReason reason) => reason switch
    {
        RestartReason.ConfigChanged => "config-changed",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
