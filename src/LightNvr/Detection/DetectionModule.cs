using LightNvr.Metrics;

namespace LightNvr.Detection;

/// <summary>Detection: one loop per camera with detect: settings, fed by the snapshot service.</summary>
public static class DetectionModule
{
    public static IServiceCollection AddDetection(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, DetectionJson.Default));
        services.AddSingleton<DetectionStore>();
        services.AddSingleton<IMetricSource>(sp => sp.GetRequiredService<DetectionStore>().Counters);
        services.AddSingleton<FeedTiming>();
        services.AddSingleton<DetectionFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<DetectionFeed>());
        return services;
    }
}
