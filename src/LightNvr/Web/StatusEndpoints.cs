using LightNvr.Status;

namespace LightNvr.Web;

/// <summary>The status routes: JSON for programs, HTML for people, both from one report.</summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", (StatusService status) => TypedResults.Ok(status.Current()));
        app.MapGet("/", (StatusService status) => TypedResults.Content(StatusPage.Render(status.Current()), "text/html; charset=utf-8"));
        return app;
    }
}
