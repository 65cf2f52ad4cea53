namespace LightNvr.Recording;

/// <summary>Recording: the recorder (an owner beside the stream sync), retention every minute, the list, segment and page routes.</summary>
public static class RecordingModule
{
    public static IServiceCollection AddRecording(this IServiceCollection services)
    {
        services.AddSingleton<IDiskSpaceProbe, StatvfsProbe>();
        services.AddSingleton<Recorder>();
        services.AddHostedService(sp => sp.GetRequiredService<Recorder>());
        services.AddSingleton<Retention>();
        services.AddHostedService(sp => sp.GetRequiredService<Retention>());
        return services;
    }
}
