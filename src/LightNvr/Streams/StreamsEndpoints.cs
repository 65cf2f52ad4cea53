using LightNvr.Config;
using LightNvr.Logging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LightNvr.Streams;

/// <summary>The camera list over HTTP: read, add, replace, remove. Errors are problem+json naming the field.</summary>
public static partial class StreamsEndpoints
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^cameras\[\d+\]\.?")]
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
            Apply(list, sync, camera.Name, cameras => cameras.Any(c => c.Name == camera.Name)
                ? (null, $"a camera named '{camera.Name}' already exists")
                : ([.. cameras, camera], null), created: true));
        group.MapPut("/{name}", Results<Created<CameraView>, ProblemHttpResult, ValidationProblem> (string name, Camera camera, CameraList list, StreamSync sync) =>
        {
            if (camera.Name.Length == 0) camera.Name = name;
            if (camera.Name != name) return Problem(400, "name mismatch", $"the body names '{camera.Name}', the URL '{name}'");
            return Apply(list, sync, name, cameras =>
            {
                var old = cameras.FirstOrDefault(c => c.Name == name);
                if (old is null) return (null, "404");
                camera.Password ??= old.Password; // clients never see the password: leaving it out keeps it
                return (cameras.Select(c => c.Name == name ? camera : c).ToList(), null);
            }, created: false);
        });
        group.MapDelete("/{name}", Results<NoContent, ProblemHttpResult> (string name, CameraList list) =>
        {
            var (ok, conflict, _) = list.Update(cameras => cameras.Any(c => c.Name == name)
                ? (cameras.Where(c => c.Name != name).ToList(), null)
                : (null, "404"));
            return ok ? TypedResults.NoContent() : conflict == "404" ? NotFound(name) : Problem(409, "conflict", conflict!);
        });
        return app;
    }

    private static Results<Created<CameraView>, ProblemHttpResult, ValidationProblem> Apply(CameraList list, StreamSync sync, string name,
        Func<IReadOnlyList<Camera>, (List<Camera>?, string?)> edit, bool created)
    {
        var (ok, conflict, errors) = list.Update(edit);
        if (ok)
        {
            var view = CameraView.Of(list.Current.Cameras.First(c => c.Name == name), sync);
            return TypedResults.Created($"/api/streams/{Uri.EscapeDataString(name)}", view);
        }
        if (conflict == "404") return NotFound(name);
        if (conflict is not null) return Problem(409, "conflict", conflict);
        return TypedResults.ValidationProblem(FieldErrors(errors), title: "the camera was refused");
    }

    /// <summary>cameras[3].url → url: the field of the camera sent.</summary>
    private static Dictionary<string, string[]> FieldErrors(IReadOnlyList<ConfigError> errors) =>
        errors.GroupBy(e => CameraPrefix().Replace(e.Path, "") is { Length: > 0 } f ? f : "camera")
            .ToDictionary(g => g.Key, g => g.Select(e => Redactor.Redact(e.Message)).ToArray());

    private static ProblemHttpResult NotFound(string name) => Problem(404, "no such camera", $"there is no camera named '{name}'");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: Redactor.Redact(detail), statusCode: status, title: title);
}
