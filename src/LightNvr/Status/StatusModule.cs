namespace LightNvr.Status;

/// <summary>The status report every view reads (page, API, console, diagnostics bundle).</summary>
public static class StatusModule
{
    public static IServiceCollection AddStatus(this IServiceCollection services, long startedAt)
    {
        services.AddSingleton(new AppStarted(startedAt));
        services.AddSingleton<StatusService>();
        services.AddSingleton<ApplianceStateOwner>();
        services.AddHostedService(sp => sp.GetRequiredService<ApplianceStateOwner>());
        return services;
    }
}
