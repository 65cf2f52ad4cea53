using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Streams;

namespace LightNvr.Web;

/// <summary>The status routes: the report for programs, and the page's view as HTML (first paint) and as JSON (its updates).</summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", (StatusService status) => TypedResults.Ok(status.Current()));
        // The two routes list their services rather than share an [AsParameters] type: that binding costs the AOT binary 16 KB.
        app.MapGet("/api/status/view", (StatusService status, CameraList cameras, StreamSync sync, ApplianceStateOwner appliance, LoadedConfig loaded,
            PasswordPresence password, BoardState board, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(ViewOf(status, cameras, sync, appliance, loaded, password, board));
        });
        app.MapGet("/", (StatusService status, CameraList cameras, StreamSync sync, ApplianceStateOwner appliance, LoadedConfig loaded,
            PasswordPresence password, BoardState board, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Content(StatusPage.Render(ViewOf(status, cameras, sync, appliance, loaded, password, board),
                door: loaded.Config.Go2rtc.ExposeUi), "text/html; charset=utf-8");
        });
        app.MapStatusAssets();
        app.MapActions();
        app.MapDiagnostics();
        return app;
    }

    /// <summary>The page's view from the current state; both routes read it the same way, so they show the same.</summary>
    private static StatusView ViewOf(StatusService status, CameraList cameras, StreamSync sync, ApplianceStateOwner appliance, LoadedConfig loaded,
        PasswordPresence password, BoardState board) =>
        StatusView.Of(status.Current(), cameras.Current.Cameras.Select(c => CameraView.Of(c, sync)).ToList(),
            BoardView.From(appliance.Current.Health, loaded.Errors.Count, password.IsSet(), board));
}
