using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LightNvr.Auth;

/// <summary>
/// HTTP Basic for API clients and Prometheus: user <c>admin</c>, the admin password. Failures count
/// against the same per-client limit as the login form.
/// </summary>
public sealed class BasicAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    PasswordStore store, LoginThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";
    private const string ThrottledKey = "lightnvr.throttled";

    public static bool HasBasicHeader(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBasicHeader(Request)) return Task.FromResult(AuthenticateResult.NoResult());
        var client = AuthProblems.ClientOf(Context);
        if (throttle.RetryAfter(client) is { } wait)
        {
            Context.Items[ThrottledKey] = wait;
            return Task.FromResult(AuthenticateResult.Fail("too many failed attempts"));
        }
        if (!TryDecode(Request.Headers.Authorization.ToString()[6..].Trim(), out var user, out var password)
            || user != PasswordStore.UserName || !store.Verify(password))
        {
            if (store.Exists) throttle.Failed(client);
            return Task.FromResult(AuthenticateResult.Fail("wrong user name or password"));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Context.Items[ThrottledKey] is TimeSpan wait ? AuthProblems.TooManyAttempts(Context, wait) : AuthProblems.Unauthorized(Context);

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
