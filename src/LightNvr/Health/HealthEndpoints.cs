namespace LightNvr.Health;

/// <summary><c>GET /api/health</c>: the snapshot as JSON.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (HealthLoop health) => TypedResults.Ok(health.Snapshot));
        return app;
    }
}
