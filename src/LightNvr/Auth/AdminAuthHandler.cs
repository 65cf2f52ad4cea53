using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LightNvr.Auth;

/// <summary>
/// Who is calling: HTTP Basic (user <c>admin</c>) for API clients and Prometheus when the request
/// carries it, otherwise the session cookie. Failed Basic attempts count against the same per-client
/// limit as the login form. Challenges: a browser navigating is sent to /login, a program gets 401
/// with <c>WWW-Authenticate: Basic</c> and problem+json.
/// </summary>
public sealed class AdminAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    PasswordStore store, LoginThrottle throttle, SessionCookie session) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Admin";
    public const string BasicType = "Basic";
    public const string CookieType = "Cookie";
    private const string ThrottledKey = "lightnvr.throttled";

    public static bool HasBasicHeader(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(HasBasicHeader(Request) ? Basic() : Cookie());

    private AuthenticateResult Cookie()
    {
        if (!SessionCookie.HasCookie(Request)) return AuthenticateResult.NoResult();
        return session.Validate(Context) ? Success(CookieType) : AuthenticateResult.Fail("session expired or invalid");
    }

    private AuthenticateResult Basic()
    {
        var client = AuthProblems.ClientOf(Context);
        if (throttle.RetryAfter(client) is { } wait)
        {
            Context.Items[ThrottledKey] = wait;
            return AuthenticateResult.Fail("too many failed attempts");
        }
        if (!TryDecode(Request.Headers.Authorization.ToString()[6..].Trim(), out var user, out var password)
            || user != PasswordStore.UserName || !store.Verify(password))
        {
            if (store.Exists) throttle.Failed(client);
            return AuthenticateResult.Fail("wrong user name or password");
        }
        return Success(BasicType);
    }

    private static AuthenticateResult Success(string type)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, PasswordStore.UserName)], type);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledKey] is TimeSpan wait) return AuthProblems.TooManyAttempts(Context, wait);
        if (!HasBasicHeader(Request) && AuthProblems.IsBrowserNavigation(Request))
        {
            Response.Redirect("/login?return=" + Uri.EscapeDataString(Request.PathBase + Request.Path + Request.QueryString));
            return Task.CompletedTask;
        }
        return AuthProblems.Unauthorized(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.Write(Context, 403, "forbidden", "this account may not do that");

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
