using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;

namespace LightNvr.Auth;

/// <summary>
/// The one middleware between the LAN and every endpoint. It identifies the caller (HTTP Basic, user
/// <c>admin</c>, when the request carries it, else the session cookie), sends browsers to /setup
/// during onboarding, refuses cross-origin changes, and lets a request reach a non-public endpoint
/// only as the admin: a browser navigating is redirected to /login, a program gets 401 with
/// <c>WWW-Authenticate: Basic</c> and problem+json, a client over the failure limit 429.
/// </summary>
/// <remarks>
/// ASP.NET Core's authentication and authorization middleware did this first; with DataProtection
/// gone they still cost ~0.6 MB of AOT binary, over the arm64 size guard. So routes are protected
/// by default and opt out with <c>.AllowAnonymous()</c>; do not use <c>RequireAuthorization()</c>.
/// </remarks>
public static class AdminGate
{
    public const string BasicType = "Basic";
    public const string CookieType = "Cookie";

    public static async Task Invoke(HttpContext http, RequestDelegate next)
    {
        var services = http.RequestServices;
        var store = services.GetRequiredService<PasswordStore>();
        var request = http.Request;

        TimeSpan? throttled = null;
        if (HasBasicHeader(request)) throttled = await Basic(http, store, services.GetRequiredService<LoginThrottle>());
        else if (SessionCookie.HasCookie(request) && services.GetRequiredService<SessionCookie>().Validate(http)) SignedIn(http, CookieType);
        var admin = http.User.Identity?.IsAuthenticated == true;

        var open = !store.Exists;
        var isPublic = http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        if (SameOrigin.IsChanging(request.Method)
            && !SameOrigin.Allowed(request.Headers.Origin, request.Headers.Referer, request.Host.Value ?? "", http.User.Identity?.AuthenticationType == CookieType))
        {
            await AuthProblems.CrossOrigin(http);
            return;
        }
        if (isPublic || http.GetEndpoint() is null)
        {
            await next(http);
            return;
        }
        // Onboarding is not an open API: until a password exists only /setup, /healthz and the page
        // assets answer. Browsers are sent to /setup; programs are told how to provision.
        if (open)
        {
            if (AuthProblems.IsBrowserNavigation(request) && !IsApi(request.Path)) http.Response.Redirect("/setup");
            else await AuthProblems.NoPasswordYet(http);
            return;
        }
        if (admin) await next(http);
        else if (throttled is { } wait) await AuthProblems.TooManyAttempts(http, wait);
        else if (!HasBasicHeader(request) && AuthProblems.IsBrowserNavigation(request))
            http.Response.Redirect("/login?return=" + Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString));
        else await AuthProblems.Unauthorized(http);
    }

    public static bool HasBasicHeader(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/metrics");

    /// <summary>Signs the caller in when Basic carries the admin password; returns the wait when over the login limit.</summary>
    private static async Task<TimeSpan?> Basic(HttpContext http, PasswordStore store, LoginThrottle throttle)
    {
        if (!store.Exists) return null; // onboarding: nothing to check against
        var client = AuthProblems.ClientOf(http);
        var decoded = TryDecode(http.Request.Headers.Authorization.ToString()[6..].Trim(), out var user, out var password);
        // A wrong user name is a failed attempt too (counted, no hash needed).
        var (ok, wait) = await throttle.Attempt(client, decoded && user == PasswordStore.UserName ? password : null, store, http.RequestAborted);
        if (ok) SignedIn(http, BasicType);
        return wait;
    }

    private static void SignedIn(HttpContext http, string type) =>
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, PasswordStore.UserName)], type));

    private static bool TryDecode(string encoded, out string user, out string password)
    {
        user = password = "";
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':');
            if (colon < 0) return false;
            (user, password) = (text[..colon], text[(colon + 1)..]);
            return true;
        }
        catch (FormatException) { return false; }
    }
}
