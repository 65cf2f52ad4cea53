namespace LightNvr.Health;

/// <summary>Health: one loop observes, decides and publishes the snapshot; the history and the old-go2rtc keep-alives read it.</summary>
public static class HealthModule
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, HealthJson.Default));
        services.AddSingleton<HealthLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthLoop>());
        services.AddSingleton<KeepAliveConsumers>();
        services.AddHostedService(sp => sp.GetRequiredService<KeepAliveConsumers>());
        services.AddSingleton(new HealthHistory());
        services.AddHostedService<HealthHistoryRecorder>();
        return services;
    }
}
