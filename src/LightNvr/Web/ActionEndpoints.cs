using LightNvr.Status;
using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Streams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LightNvr.Web;

/// <summary>The answer to a manual restart: whether go2rtc came back, and as which process.</summary>
public sealed record RestartResult(bool Ready, int? Pid, string Phase, string Message);

/// <summary>The answer to a re-registration: the stream's state afterwards.</summary>
public sealed record ReregisterResult(string Stream, IReadOnlyList<string> Streams, bool Registered, string? Error);

/// <summary>The status page's actions (restart go2rtc, re-register a stream) and the board's state.</summary>
public static class ActionEndpoints
{
    public static IEndpointRouteBuilder MapActions(this IEndpointRouteBuilder app)
    {
        // Concurrent callers share the supervisor's one restart; the answer comes once go2rtc is back (or gave up).
        app.MapPost("/api/go2rtc/restart", async Task<Results<Ok<RestartResult>, ProblemHttpResult>> (IGo2rtc go2rtc, HttpContext http) =>
        {
            if (go2rtc.Status.Phase is Go2rtcPhase.Disabled or Go2rtcPhase.NotBuilt)
                return TypedResults.Problem(detail: go2rtc.Status.Message, statusCode: 409, title: "go2rtc is not running in this appliance");
            var ready = await go2rtc.RequestRestart(RestartReason.Manual, "restart requested on the status page").WaitAsync(http.RequestAborted);
            var s = go2rtc.Status;
            return ready
                ? TypedResults.Ok(new RestartResult(true, s.Pid, s.Phase.ToString(), s.Message))
                : TypedResults.Problem(detail: s.Message, statusCode: 503, title: "go2rtc did not come back");
        });

        app.MapPost("/api/streams/{name}/reregister", async Task<Results<Ok<ReregisterResult>, ProblemHttpResult>> (string name, StreamSync sync, HttpContext http) =>
        {
            // A camera name re-registers the camera's streams (its _sub too); a stream name just that stream.
            var desired = sync.Desired;
            var names = desired?.Streams.Values.Where(d => d.Camera == name || d.Name == name).Select(d => d.Name).Distinct().ToList() ?? [];
            if (names.Count == 0)
                return TypedResults.Problem(detail: $"there is no stream named '{name}'", statusCode: 404, title: "no such stream");
            await sync.ReregisterAsync(names, http.RequestAborted);
            var state = sync.States.GetValueOrDefault(names[0]);
            return TypedResults.Ok(new ReregisterResult(name, names, state?.Registered ?? false, state?.Error));
        });

        app.MapGet("/api/board", (ApplianceStateOwner appliance, LoadedConfig loaded, PasswordPresence password, BoardState board) =>
            TypedResults.Ok(BoardView.From(appliance.Current.Health, loaded.Errors.Count, password.IsSet(), board)));
        return app;
    }
}
