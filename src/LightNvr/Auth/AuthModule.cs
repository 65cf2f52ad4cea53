using LightNvr.Config;

namespace LightNvr.Auth;

/// <summary>
/// The admin login, wired into the host: a session cookie for people, HTTP Basic for programs, and
/// <see cref="AdminGate"/> in front of every endpoint not marked public.
/// </summary>
public static class AuthModule
{
    public static IServiceCollection AddAdminAuth(this IServiceCollection services, AppConfig config)
    {
        services.AddSingleton(new PasswordStore(config.StateDir));
        services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SessionCookie(config.StateDir, sp.GetRequiredService<PasswordStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => ConsumeBootFile(config.Auth.PasswordFile, sp.GetRequiredService<PasswordStore>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootPasswordFile).FullName!)));

        return services;
    }

    /// <summary>The middleware, in order; call before mapping endpoints.</summary>
    public static WebApplication UseAdminAuth(this WebApplication app)
    {
        app.Services.GetRequiredService<BootFileReport>(); // consumed now, at start, not at the first visit
        app.UseRouting();
        app.Use(AdminGate.Invoke);
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
}
