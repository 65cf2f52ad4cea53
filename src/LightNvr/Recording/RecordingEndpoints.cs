using LightNvr.Config;

namespace LightNvr.Recording;

/// <summary>
/// <c>/recordings</c> (the page), <c>GET /api/recordings[/{camera}/{day}]</c> (the lists) and
/// <c>GET /recordings/{camera}/{day}/{file}[?download=1]</c> (a segment, with HTTP ranges so a browser can
/// seek). All behind the admin gate like every route not marked public; names are checked against the
/// recorder's own shapes before any path is made (<see cref="RecordingFiles.Resolve"/>).
/// </summary>
public static class RecordingEndpoints
{
    public static IEndpointRouteBuilder MapRecording(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/recordings", (AppConfig config, Recorder recorder, Retention retention) =>
            Results.Json(RecordingLibrary.List(config.Record.Dir, recorder.Status, retention.Last), RecordingJson.Default.RecordingsView));

        app.MapGet("/api/recordings/{camera}/{day}", (string camera, string day, AppConfig config, Recorder recorder) =>
        {
            if (Streams.CameraRules.NameProblem(camera) is { } p) return Results.Problem(title: "bad-camera", detail: "camera: " + p, statusCode: 400);
            if (!SegmentPlan.IsDay(day)) return Results.Problem(title: "bad-day", detail: $"day: expected yyyy-MM-dd, found '{Shown(day)}'", statusCode: 400);
            return Results.Json(RecordingLibrary.Day(config.Record.Dir, camera, day, recorder.Status), RecordingJson.Default.DayView);
        });

        app.MapGet("/recordings/{camera}/{day}/{file}", (string camera, string day, string file, string? download, AppConfig config) =>
            RecordingFiles.Resolve(config.Record.Dir, camera, day, file) is { } path
                ? Results.File(path, "video/mp4", download is not null ? $"{camera}-{day}-{file}" : null, enableRangeProcessing: true)
                : Results.Problem(title: "no-such-segment", detail: "no recorded segment has that camera, day and file name", statusCode: 404));

        app.MapGet("/recordings", () => Results.Text(RecordingPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/recordings.js", () => Results.Text(RecordingPage.Script, "text/javascript; charset=utf-8"));
        app.MapGet("/recordings.css", () => Results.Text(RecordingPage.Style, "text/css; charset=utf-8"));
        return app;
    }

    private static string Shown(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
