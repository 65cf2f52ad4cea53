using LightNvr.Config;
using LightNvr.Go2rtc;

namespace LightNvr.Door;

/// <summary>
/// The advanced door to go2rtc (<c>go2rtc.expose_ui</c>): its own UI and API at /go2rtc/, behind the admin
/// login like every route. Closed, the route does not exist (404) and go2rtc runs without a base path.
/// </summary>
public static class DoorModule
{
    public static IServiceCollection AddDoor(this IServiceCollection services, AppConfig config)
    {
        if (!config.Go2rtc.ExposeUi) return services;
        services.AddHttpForwarder();
        services.AddSingleton<DoorProxy>();
        return services;
    }

    public static IEndpointRouteBuilder MapDoor(this IEndpointRouteBuilder app, AppConfig config)
    {
        if (!config.Go2rtc.ExposeUi) return app;
        var door = app.ServiceProvider.GetRequiredService<DoorProxy>();
        // Every method: go2rtc's API answers GET, PUT, PATCH, POST and DELETE, and the rules decide per call.
        app.Map(GeneratedConfig.DoorBasePath + "/{**rest}", door.Handle);
        return app;
    }
}
