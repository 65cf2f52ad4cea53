using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;


namespace LightNvr.Auth;

/// <summary><c>/login</c>, <c>/setup</c>, <c>POST /logout</c> and the public <c>GET /healthz</c>.</summary>
public static class AuthEndpoints
{
    private const string Html = "text/html; charset=utf-8";

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        // Liveness for load balancers and scripts: says nothing about go2rtc or the cameras.
        app.MapGet("/healthz", () => TypedResults.Text("{\"status\":\"ok\"}", "application/json")).AllowAnonymous();

        app.MapGet("/login", (HttpContext http, PasswordStore store, string? @return) =>
        {
            if (!store.Exists) return Results.Redirect("/setup");
            if (http.User.Identity?.IsAuthenticated == true) return Results.Redirect(SafeReturn(@return));
            return Page(http, 200, AuthPages.Login(null, SafeReturn(@return)));
        }).AllowAnonymous();

        app.MapPost("/login", async (HttpContext http, PasswordStore store, LoginThrottle throttle, SessionCookie session, ILogger<PasswordStore> log) =>
        {
            if (!store.Exists) return Results.Redirect("/setup", preserveMethod: false);
            if (!IsForm(http.Request)) return NotAForm(http);
            var form = await ReadForm(http);
            var returnUrl = SafeReturn(form?["return"]);
            var client = AuthProblems.ClientOf(http);
            // The attempt is counted before the hash and given back on success (see LoginThrottle).
            var (ok, wait) = await throttle.Attempt(client, form?["password"], store, http.RequestAborted);
            if (wait is { } retry)
            {
                http.Response.Headers.RetryAfter = LoginThrottle.Seconds(retry);
                return Page(http, 429, AuthPages.Login($"Too many failed attempts. Try again in {LoginThrottle.Seconds(retry)} seconds.", returnUrl));
            }
            if (!ok)
            {
                log.LogWarning("sign-in failed from {Client}", client);
                return Page(http, 401, AuthPages.Login("Wrong password.", returnUrl));
            }
            session.Issue(http);
            log.LogInformation("admin signed in from {Client}", client);
            return SeeOther(http, returnUrl);
        }).AllowAnonymous();

        app.MapGet("/setup", (HttpContext http, PasswordStore store, BootFileReport boot) =>
            store.Exists ? Results.Redirect("/login") : Page(http, 200, AuthPages.Setup(null, boot.Problem))).AllowAnonymous();

        app.MapPost("/setup", async (HttpContext http, PasswordStore store, BootFileReport boot, SessionCookie session, ILogger<PasswordStore> log) =>
        {
            if (store.Exists) return SeeOther(http, "/login");
            if (!IsForm(http.Request)) return NotAForm(http);
            var form = await ReadForm(http);
            var password = form?["password"];
            var confirm = form?["confirm"];
            var error = password != confirm ? "The two passwords differ." : PasswordRules.Problem(password) is { } p ? Capital(p) + "." : null;
            if (error is null && store.SetInitial(password!) is { } refused) error = Capital(refused) + ".";
            if (error is not null) return Page(http, 400, AuthPages.Setup(error, boot.Problem));
            log.LogInformation("admin password set from the onboarding page by {Client}", AuthProblems.ClientOf(http));
            session.Issue(http);
            return SeeOther(http, "/");
        }).AllowAnonymous();

        app.MapPost("/logout", (HttpContext http, SessionCookie session) =>
        {
            session.Clear(http);
            return SeeOther(http, "/login");
        });
        return app;
    }

    /// <summary>Only a local path: "//evil.example" or "https://…" would make the login an open redirect.</summary>
    public static string SafeReturn(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl) ? url : "/";

    /// <summary>
    /// The URL-encoded form the pages post. FormReader rather than Request.ReadFormAsync: the pages never
    /// post multipart, and the multipart reader behind ReadFormAsync costs binary size for nothing.
    /// </summary>
    private static bool IsForm(HttpRequest request) =>
        string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>415 naming the one type the pages post; not counted as a failed sign-in.</summary>
    private static IResult NotAForm(HttpContext http) => TypedResults.Problem(statusCode: 415, title: "unsupported media type",
        detail: $"{http.Request.Path} takes Content-Type: application/x-www-form-urlencoded; the request sent " +
                (string.IsNullOrEmpty(http.Request.ContentType) ? "none" : $"'{http.Request.ContentType}'"));

    private static async Task<Form?> ReadForm(HttpContext http)
    {
        if (!IsForm(http.Request)) return null;
        try
        {
            using var reader = new FormReader(http.Request.Body) { ValueCountLimit = 16, ValueLengthLimit = 4096, KeyLengthLimit = 64 };
            return new Form(await reader.ReadFormAsync(http.RequestAborted));
        }
        catch (InvalidDataException) { return null; }
    }

    private sealed class Form(Dictionary<string, StringValues> fields)
    {
        public string? this[string key] => fields.TryGetValue(key, out var v) ? v.ToString() : null;
    }

    private static IResult Page(HttpContext http, int status, string html)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html, Html, statusCode: status);
    }

    /// <summary>303: after a form post the browser GETs the target (no resubmission on reload).</summary>
    private static IResult SeeOther(HttpContext http, string url)
    {
        http.Response.Headers.Location = url;
        return TypedResults.StatusCode(303);
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

/// <summary>Why the boot-partition password file was not used at this start (null when it was, or was absent).</summary>
public sealed record BootFileReport(string? Problem);
