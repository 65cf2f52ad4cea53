namespace LightNvr.Api;

/// <summary>
/// Every /api/ error is application/problem+json: status codes written with no body (404, 405, 415, a
/// malformed JSON body's 400) get one, and an unknown /api/ path is a 404 problem, not an empty answer.
/// </summary>
public static class ApiErrors
{
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        // With AddProblemDetails registered, status-code pages write a problem document (source-generated JSON).
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Lowest precedence: only paths no other /api/ route matches land here (still behind the login).</summary>
    public static IEndpointRouteBuilder MapApiFallback(this IEndpointRouteBuilder app)
    {
        app.Map("/api/{**rest}", (HttpContext http) => TypedResults.Problem(statusCode: 404, title: "no such route",
            detail: $"{http.Request.Method} {http.Request.Path} is not part of the API; see README \"JSON API\""));
        return app;
    }
}
