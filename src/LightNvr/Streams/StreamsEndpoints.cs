using LightNvr.Config;
using LightNvr.Logging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LightNvr.Streams;

/// <summary>The camera list over HTTP: read, add, replace, remove. Errors are problem+json naming the field.</summary>
public static partial class StreamsEndpoints
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\Acameras\[\d+\]\.?")]
    private static partial System.Text.RegularExpressions.Regex CameraPrefix();

    public static IEndpointRouteBuilder MapStreams(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/streams");
        group.MapGet("/", (CameraList list, StreamSync sync) =>
        {
            var load = list.Current;
            return TypedResults.Ok(new CameraListView(
                load.Cameras.Select(c => CameraView.Of(c, sync)).ToList(),
                load.Errors.Select(e => Redactor.Redact(e.ToString())).ToList(),
                sync.Desired?.Unavailable ?? []));
        });
        group.MapGet("/{name}", Results<Ok<CameraView>, ProblemHttpResult> (string name, CameraList list, StreamSync sync) =>
            list.Current.Cameras.FirstOrDefault(c => c.Name == name) is { } camera
                ? TypedResults.Ok(CameraView.Of(camera, sync))
                : NotFound(name));
        group.MapPost("/", Results<Created<CameraView>, ProblemHttpResult, ValidationProblem> (Camera camera, CameraList list, StreamSync sync) =>
            Apply(list, sync, camera, cameras => cameras.Any(c => c.Name == camera.Name)
                ? (null, $"a camera named '{camera.Name}' already exists")
                : ([.. cameras, camera], null)));
        group.MapPut("/{name}", Results<Created<CameraView>, ProblemHttpResult, ValidationProblem> (string name, Camera camera, CameraList list, StreamSync sync) =>
        {
            if (string.IsNullOrEmpty(camera.Name)) camera.Name = name;
            if (camera.Name != name) return Problem(400, "name mismatch", $"the body names '{camera.Name}', the URL '{name}'");
            return Apply(list, sync, camera, cameras =>
            {
                var old = cameras.FirstOrDefault(c => c.Name == name);
                if (old is null) return (null, "404");
                camera.Password ??= old.Password; // clients never see the password: leaving it out keeps it
                return (cameras.Select(c => c.Name == name ? camera : c).ToList(), null);
            });
        });
        group.MapDelete("/{name}", Results<NoContent, ProblemHttpResult> (string name, CameraList list) =>
        {
            var result = list.Update(cameras => cameras.Any(c => c.Name == name)
                ? (cameras.Where(c => c.Name != name).ToList(), null)
                : (null, "404"));
            return result.Ok ? TypedResults.NoContent() : result.Conflict == "404" ? NotFound(name) : Problem(409, "conflict", result.Conflict!);
        });
        return app;
    }

    private static Results<Created<CameraView>, ProblemHttpResult, ValidationProblem> Apply(CameraList list, StreamSync sync, Camera camera,
        Func<IReadOnlyList<Camera>, (List<Camera>?, string?)> edit)
    {
        Normalize(camera);
        // The camera's own faults first, named by field, before it goes anywhere near the file.
        var problems = list.Problems(camera).ToList();
        if (problems.Count > 0)
            return TypedResults.ValidationProblem(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => Redactor.Redact(p.Reason)).ToArray()),
                title: "the camera was refused");
        var result = list.Update(edit);
        if (result.Saved is { } saved)
        {
            // From the list as written by this very update: a delete that lands a moment later cannot make it fail.
            var stored = saved.Cameras.Single(c => c.Name == camera.Name);
            return TypedResults.Created($"/api/streams/{Uri.EscapeDataString(camera.Name)}", CameraView.Of(stored, sync));
        }
        if (result.Conflict == "404") return NotFound(camera.Name);
        if (result.Conflict is not null) return Problem(409, "conflict", result.Conflict);
        return TypedResults.ValidationProblem(FieldErrors(result.Errors), title: "the camera was refused");
    }

    /// <summary>JSON may send null where the YAML model has a default; the rules and the file expect the defaults.</summary>
    private static void Normalize(Camera c)
    {
        c.Name ??= "";
        c.Url ??= "";
        if (c.Detect is { } d)
        {
            d.Url ??= "";
            d.Labels ??= [];
            d.Threshold ??= "0.5";
        }
    }

    /// <summary>cameras[3].url → url: the field of the camera sent.</summary>
    private static Dictionary<string, string[]> FieldErrors(IReadOnlyList<ConfigError> errors) =>
        errors.GroupBy(e => CameraPrefix().Replace(e.Path, "") is { Length: > 0 } f ? f : "camera")
            .ToDictionary(g => g.Key, g => g.Select(e => Redactor.Redact(e.Message)).ToArray());

    private static ProblemHttpResult NotFound(string name) => Problem(404, "no such camera", $"there is no camera named '{name}'");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: Redactor.Redact(detail), statusCode: status, title: title);
}
