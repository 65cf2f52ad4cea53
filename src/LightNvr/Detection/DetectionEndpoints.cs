using LightNvr.Streams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LightNvr.Detection;

/// <summary><c>GET /api/streams/{name}/detections</c> (the last answer per camera) and <c>GET /api/events[?limit=]</c>.</summary>
public static class DetectionEndpoints
{
    public const int MaxLimit = EventLog.DefaultCapacity;

    public static IEndpointRouteBuilder MapDetections(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/streams/{name}/detections", Results<Ok<DetectionsView>, ProblemHttpResult> (string name, CameraList cameras, DetectionStore store) =>
        {
            var camera = cameras.Current.Cameras.FirstOrDefault(c => c.Name == name);
            if (camera is null)
                return TypedResults.Problem(detail: $"there is no camera named '{name}'", statusCode: 404, title: "no such camera");
            var state = camera.Enabled && camera.Detect is not null ? store.Of(name) : CameraDetection.Off;
            return TypedResults.Ok(DetectionsView.Of(name, state));
        });
        app.MapGet("/api/events", Results<Ok<EventsView>, ProblemHttpResult> (int? limit, DetectionStore store) =>
        {
            if (limit is < 1 or > MaxLimit)
                return TypedResults.Problem(detail: $"limit: expected 1-{MaxLimit}, found {limit}", statusCode: 400, title: "bad limit");
            return TypedResults.Ok(new EventsView(store.Events.Newest(limit ?? 100).Select(EventView.Of).ToList()));
        });
        return app;
    }
}
