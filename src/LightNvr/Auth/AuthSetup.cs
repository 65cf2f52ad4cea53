using System.Security.Claims;
using LightNvr.Config;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace LightNvr.Auth;

/// <summary>
/// The admin login, wired into the host: a session cookie for people, HTTP Basic for programs, both
/// accepted by one fallback policy that every endpoint gets unless it is marked public.
/// </summary>
public static class AuthSetup
{
    /// <summary>Picks the cookie or Basic per request.</summary>
    public const string Scheme = "LightNvr";
    public const string CookieName = "lightnvr_session";
    private const string FingerprintClaim = "lightnvr:pw";

    public static IServiceCollection AddAdminAuth(this IServiceCollection services, AppConfig config)
    {
        services.AddSingleton(new PasswordStore(config.StateDir));
        services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => ConsumeBootFile(config.Auth.PasswordFile, sp.GetRequiredService<PasswordStore>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootPasswordFile).FullName!)));

        services.AddDataProtection().SetApplicationName("lightnvr");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new KeyRingDirectory(Path.Combine(config.StateDir, "keys")));

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = http =>
                BasicAuthHandler.HasBasicHeader(http.Request) ? BasicAuthHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthHandler>(BasicAuthHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // the LAN endpoint is plain HTTP
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.ReturnUrlParameter = "return";
                o.Events.OnRedirectToLogin = c =>
                {
                    if (!AuthProblems.IsBrowserNavigation(c.Request)) return AuthProblems.Unauthorized(c.HttpContext);
                    c.Response.Redirect(c.RedirectUri);
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = c => AuthProblems.Write(c.HttpContext, 403, "forbidden", "this account may not do that");
                // A session ends when the password changes (wherever it was changed).
                o.Events.OnValidatePrincipal = async c =>
                {
                    var store = c.HttpContext.RequestServices.GetRequiredService<PasswordStore>();
                    if (c.Principal?.FindFirst(FingerprintClaim)?.Value == store.Fingerprint) return;
                    c.RejectPrincipal();
                    await c.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                };
            });

        services.AddSingleton<IAuthorizationHandler, AdminHandler>();
        services.AddAuthorizationBuilder().SetFallbackPolicy(
            new AuthorizationPolicyBuilder(Scheme).AddRequirements(new AdminRequirement()).Build());
        return services;
    }

    /// <summary>The middleware, in order; call before mapping endpoints.</summary>
    public static WebApplication UseAdminAuth(this WebApplication app)
    {
        app.Services.GetRequiredService<BootFileReport>(); // consumed now, at start, not at the first visit
        app.UseRouting();
        app.UseAuthentication();
        app.Use(Onboarding);
        app.Use(CheckOrigin);
        app.UseAuthorization();
        return app;
    }

    private static BootFileReport ConsumeBootFile(string path, PasswordStore store, ILogger log)
    {
        var outcome = BootPasswordFile.Consume(path, store, out var problem);
        switch (outcome)
        {
            case BootPasswordFile.Outcome.Applied:
                log.LogWarning("admin password set from {Path}, which was deleted", path);
                break;
            case BootPasswordFile.Outcome.AppliedNotDeleted:
                log.LogError("admin password set, but: {Problem}", problem);
                break;
            case BootPasswordFile.Outcome.Refused or BootPasswordFile.Outcome.Unreadable:
                log.LogError("{Problem}", problem);
                return new BootFileReport(problem);
        }
        return new BootFileReport(null);
    }

    /// <summary>A cookie session for the admin, bound to the current password.</summary>
    public static Task SignIn(HttpContext http, PasswordStore store)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, PasswordStore.UserName), new Claim(FingerprintClaim, store.Fingerprint)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = true });
    }

    /// <summary>
    /// While no password exists a person's browser is sent to /setup for any page; programs may use
    /// the API meanwhile, so an appliance can be provisioned by script before anyone opens a page.
    /// </summary>
    private static Task Onboarding(HttpContext http, RequestDelegate next)
    {
        var store = http.RequestServices.GetRequiredService<PasswordStore>();
        if (!store.Exists && AuthProblems.IsBrowserNavigation(http.Request) && !IsPublic(http) && !IsApi(http.Request.Path))
        {
            http.Response.Redirect("/setup");
            return Task.CompletedTask;
        }
        return next(http);
    }

    private static Task CheckOrigin(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (SameOrigin.IsChanging(request.Method))
        {
            var ambient = http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme };
            if (!SameOrigin.Allowed(request.Headers.Origin, request.Headers.Referer, request.Host.Value ?? "", ambient))
                return AuthProblems.CrossOrigin(http);
        }
        return next(http);
    }

    private static bool IsPublic(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/metrics");
}

/// <summary>The admin, or anyone during the onboarding window (no password exists yet).</summary>
public sealed class AdminRequirement : IAuthorizationRequirement;

public sealed class AdminHandler(PasswordStore store) : AuthorizationHandler<AdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        if (!store.Exists || context.User.Identity?.IsAuthenticated == true) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
