namespace LightNvr.Web;

/// <summary>
/// Every /api/ error is application/problem+json: status codes written with no body (404, 405, 415, a
/// malformed JSON body's 400) get one, and an unknown /api/ path is a 404 problem, not an empty answer.
/// </summary>
public static class ApiErrors
{
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        // A few lines instead of UseStatusCodePages: it costs binary size and would also answer pages with JSON.
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Storage.WriteFailure failure) when (!http.Response.HasStarted)
            {
                // Disk full or a read-only folder: say which file and why (507 / 503), never a bare 500.
                http.Response.Clear();
                if (failure.Kind == Storage.WriteFailureKind.ReadOnly) http.Response.Headers.RetryAfter = "60";
                await LightNvr.Auth.AuthProblems.Write(http, failure.HttpStatus,
                    failure.Kind switch { Storage.WriteFailureKind.Full => "storage full", Storage.WriteFailureKind.ReadOnly => "storage read-only", _ => "storage error" },
                    $"cannot write {failure.Path}: {failure.Cause}; nothing was changed");
                return;
            }
            var response = http.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && response.ContentType is null && LightNvr.Auth.AdminGate.IsApi(http.Request.Path))
                await LightNvr.Auth.AuthProblems.Write(http, response.StatusCode, ReasonOf(response.StatusCode),
                    $"{http.Request.Method} {http.Request.Path} failed with {response.StatusCode}");
        });
        return app;
    }

    private static string ReasonOf(int status) => status switch
    {
        400 => "bad request (a malformed or missing body?)", 404 => "not found", 405 => "method not allowed",
        413 => "body too large", 415 => "unsupported media type (send application/json)", _ => "error",
    };

    /// <summary>Lowest precedence: only paths no other /api/ route matches land here (still behind the login).</summary>
    public static IEndpointRouteBuilder MapApiFallback(this IEndpointRouteBuilder app)
    {
        app.Map("/api/{**rest}", (HttpContext http, EndpointDataSource endpoints) =>
        {
            if (RouteMismatch.Explain(http.Request, endpoints) is { } verdict)
            {
                if (verdict.Allow.Count > 0) http.Response.Headers.Allow = string.Join(", ", verdict.Allow);
                return TypedResults.Problem(statusCode: verdict.Status, title: verdict.Title, detail: verdict.Detail);
            }
            return TypedResults.Problem(statusCode: 404, title: "no such route",
                detail: $"{http.Request.Method} {http.Request.Path} is not part of the API; see README \"JSON API\"");
        });
        return app;
    }
}
