using LightNvr.Posix;

namespace LightNvr.Hosting;

/// <summary>systemd's notify socket: READY=1 once the endpoint listens, STOPPING=1 when the host stops (the health loop feeds the watchdog).</summary>
public static class SystemdModule
{
    public static IServiceCollection AddSystemd(this IServiceCollection services) => services.AddSingleton(new SystemdNotify());

    public static WebApplication NotifySystemd(this WebApplication app)
    {
        var systemd = app.Services.GetRequiredService<SystemdNotify>();
        app.Lifetime.ApplicationStarted.Register(systemd.Ready);
        app.Lifetime.ApplicationStopping.Register(systemd.Stopping);
        return app;
    }
}
