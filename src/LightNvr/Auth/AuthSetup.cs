using LightNvr.Config;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace LightNvr.Auth;

/// <summary>
/// The admin login, wired into the host: a session cookie for people, HTTP Basic for programs, one
/// handler for both and one fallback policy that every endpoint gets unless it is marked public.
/// </summary>
public static class AuthSetup
{
    public static IServiceCollection AddAdminAuth(this IServiceCollection services, AppConfig config)
    {
        services.AddSingleton(new PasswordStore(config.StateDir));
        services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SessionCookie(config.StateDir, sp.GetRequiredService<PasswordStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => ConsumeBootFile(config.Auth.PasswordFile, sp.GetRequiredService<PasswordStore>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootPasswordFile).FullName!)));

        // AddAuthenticationCore, not AddAuthentication: the latter brings DataProtection (see SessionToken).
        services.AddAuthenticationCore(o =>
        {
            o.AddScheme<AdminAuthHandler>(AdminAuthHandler.SchemeName, null);
            o.DefaultScheme = AdminAuthHandler.SchemeName;
        });
        services.AddWebEncoders();
        services.AddSingleton<IAuthorizationHandler, AdminHandler>();
        services.AddAuthorizationBuilder().SetFallbackPolicy(
            new AuthorizationPolicyBuilder(AdminAuthHandler.SchemeName).AddRequirements(new AdminRequirement()).Build());
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
            var ambient = http.User.Identity is { IsAuthenticated: true, AuthenticationType: AdminAuthHandler.CookieType };
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
