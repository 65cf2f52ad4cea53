using LightNvr.Metrics;

namespace LightNvr.Frames;

/// <summary>Snapshots: one service for every caller, its counters on /metrics.</summary>
public static class FramesModule
{
    public static IServiceCollection AddFrames(this IServiceCollection services)
    {
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<IMetricSource>(sp => sp.GetRequiredService<SnapshotService>());
        return services;
    }
}
