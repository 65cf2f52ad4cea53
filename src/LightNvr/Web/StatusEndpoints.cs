using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Streams;
using Microsoft.AspNetCore.Mvc;

namespace LightNvr.Web;

/// <summary>The status routes: the report for programs, and the page's view as HTML (first paint) and as JSON (its updates).</summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", (StatusService status) => TypedResults.Ok(status.Current()));
        app.MapGet("/api/status/view", ([AsParameters] StatusSources state, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(state.View());
        });
        app.MapGet("/", ([AsParameters] StatusSources state, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Content(StatusPage.Render(state.View()), "text/html; charset=utf-8");
        });
        app.MapStatusAssets();
        app.MapActions();
        app.MapDiagnostics();
        return app;
    }

    /// <summary>Where the page's state comes from; both routes read it the same way, so they show the same.</summary>
    public sealed record StatusSources([FromServices] StatusService Status, [FromServices] CameraList Cameras, [FromServices] StreamSync Sync,
        [FromServices] HealthLoop Health, [FromServices] LoadedConfig Loaded, [FromServices] PasswordPresence Password, [FromServices] BoardState Board)
    {
        public StatusView View() => StatusView.Of(Status.Current(), Cameras.Current.Cameras.Select(c => CameraView.Of(c, Sync)).ToList(),
            BoardView.From(Health.Snapshot, Loaded.Errors.Count, Password.IsSet(), Board));
    }
}
