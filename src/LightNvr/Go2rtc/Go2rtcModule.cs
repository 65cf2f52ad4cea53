using LightNvr.Config;

namespace LightNvr.Go2rtc;

/// <summary>go2rtc: one supervisor owns its process and restart rules; its status is the one published picture of it.</summary>
public static class Go2rtcModule
{
    public static IServiceCollection AddGo2rtc(this IServiceCollection services, AppConfig config, SupervisorOptions? options = null)
    {
        services.AddSingleton(options ?? new SupervisorOptions());
        services.AddSingleton(new RestartLedger(new RestartBudgetOptions(config.Health.MaxRestarts,
            TimeSpan.FromSeconds(config.Health.RestartWindowSeconds), RestartBudgetOptions.Default.RetryEvery)));
        services.AddSingleton(_ => new Go2rtcApi(config.Go2rtc.ApiPort) { BasePath = GeneratedConfig.BasePath(config.Go2rtc, "") });
        services.AddSingleton<IGo2rtcClient>(sp => sp.GetRequiredService<Go2rtcApi>());
        services.AddSingleton<IGo2rtcProcesses, Go2rtcOnPosix>();
        services.AddSingleton<Go2rtcSupervisor>();
        services.AddSingleton<IGo2rtc>(sp => sp.GetRequiredService<Go2rtcSupervisor>());
        services.AddHostedService(sp => sp.GetRequiredService<Go2rtcSupervisor>());
        return services;
    }
}
