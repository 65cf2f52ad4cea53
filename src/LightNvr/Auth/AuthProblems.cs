using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace LightNvr.Auth;

/// <summary>The refusals the auth layer writes itself, as application/problem+json.</summary>
public static class AuthProblems
{
    public const string Realm = "LightNVR";

    // Problem text is JSON read by programs and people, never put into HTML: ` and ' stay as written.
    private static readonly AuthJson Relaxed = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Task Unauthorized(HttpContext http)
    {
        // A page's own script (fetch: Sec-Fetch-Mode cors/same-origin) gets no Basic challenge, or the
        // browser would pop up its password box over the page; the page sends the person to /login.
        if (http.Request.Headers["Sec-Fetch-Mode"] is not { Count: > 0 } mode || mode == "navigate")
            http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        return Write(http, 401, "sign-in required", "send the admin password (HTTP Basic, user 'admin') or sign in at /login");
    }

    public const string NoPasswordDetail =
        "set the admin password first (page /setup, `lightnvr passwd`, or lightnvr-password.txt on the boot partition)";

    /// <summary>The onboarding window: nothing but /setup answers until a password exists.</summary>
    public static Task NoPasswordYet(HttpContext http) => Write(http, 401, "no admin password yet", NoPasswordDetail);

    public static Task TooManyAttempts(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = LoginThrottle.Seconds(wait);
        return Write(http, 429, "too many failed sign-ins",
            $"at most {LoginThrottle.Limit} failed attempts a minute; try again in {LoginThrottle.Seconds(wait)} s");
    }

    public static Task CrossOrigin(HttpContext http) =>
        Write(http, 403, "cross-origin request refused", "a changing request must come from this appliance's own pages (Origin or Referer must match Host)");

    public static async Task Write(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        await JsonSerializer.SerializeAsync(http.Response.Body, problem, Relaxed.ProblemDetails, http.RequestAborted);
    }

    /// <summary>A person's browser navigating (it gets pages and redirects), rather than a program (it gets status codes).</summary>
    public static bool IsBrowserNavigation(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
