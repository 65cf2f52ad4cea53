namespace LightNvr.Frames;

/// <summary><c>GET /api/streams/{name}/frame.jpeg[?w=&amp;h=]</c>: a JPEG, or problem+json naming the cause.</summary>
public static class FramesEndpoints
{
    public static IEndpointRouteBuilder MapFrames(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/streams/{name}/frame.jpeg", async (string name, int? w, int? h, SnapshotService snapshots, HttpContext http) =>
        {
            var result = await snapshots.GetAsync(name, w, h, http.RequestAborted);
            if (result.Jpeg is { } jpeg)
            {
                http.Response.Headers.CacheControl = "no-cache";
                return Results.File(jpeg, "image/jpeg");
            }
            var error = result.Error!;
            if (error.Kind == FrameErrorKind.Restarting) http.Response.Headers.RetryAfter = "2";
            // The title is the cause's word (camera-unreachable, no-keyframe, not-jpeg, too-large,
            // unknown-stream, go2rtc-error: <text>, go2rtc-restarting); the detail says it in a sentence.
            return Results.Problem(detail: error.Detail, statusCode: error.Status, title: error.ToString());
        });
        return app;
    }
}
