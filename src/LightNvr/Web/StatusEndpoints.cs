using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Streams;

namespace LightNvr.Web;

/// <summary>The status routes: JSON for programs, HTML for people, both from one report.</summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", (StatusService status) => TypedResults.Ok(status.Current()));
        app.MapGet("/", (HttpContext http, StatusService status, CameraList cameras, StreamSync sync, HealthLoop health, LoadedConfig loaded,
            PasswordPresence password, BoardState board) =>
        {
            var report = status.Current();
            var model = new StatusPageModel(report, cameras.Current.Cameras.Select(c => CameraView.Of(c, sync)).ToList(),
                BoardView.From(health.Snapshot, loaded.Errors.Count, password.IsSet(), board));
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Content(StatusPage.Render(model), "text/html; charset=utf-8");
        });
        app.MapStatusAssets();
        app.MapActions();
        app.MapDiagnostics();
        return app;
    }
}
