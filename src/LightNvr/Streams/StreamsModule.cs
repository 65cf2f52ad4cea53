using LightNvr.Config;
using LightNvr.Go2rtc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LightNvr.Streams;

/// <summary>The camera list, and go2rtc's streams kept equal to it.</summary>
public static class StreamsModule
{
    /// <param name="machineNames">This machine's names, read once and shared with the Host check.</param>
    public static IServiceCollection AddStreams(this IServiceCollection services, LoadedConfig loaded, IReadOnlyCollection<string> machineNames)
    {
        services.AddSingleton(sp => new OwnServices(() => OwnPorts(loaded.Config, sp), machineNames));
        services.AddSingleton(sp => new CameraList(StreamsFile.PathBeside(loaded.Path), sp.GetRequiredService<ILogger<CameraList>>(),
            own: sp.GetRequiredService<OwnServices>()));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, StreamsJson.Default));
        services.AddSingleton<ConfigStreamsFromCameras>();
        services.AddSingleton<IConfigStreamsSource>(sp => sp.GetRequiredService<ConfigStreamsFromCameras>());
        services.AddSingleton<StreamSync>();
        services.AddSingleton<IStreams>(sp => sp.GetRequiredService<StreamSync>());
        services.AddHostedService(sp => sp.GetRequiredService<StreamSync>());
        return services;
    }

    /// <summary>The ports no camera may point at on this machine; the web port as bound (0 in the config = chosen at start).</summary>
    private static IReadOnlyCollection<int> OwnPorts(AppConfig config, IServiceProvider services)
    {
        var ports = new HashSet<int> { config.Go2rtc.ApiPort, config.Go2rtc.WebrtcPort };
        if (config.Web.Port != 0) ports.Add(config.Web.Port);
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0) ports.Add(uri.Port);
        return ports;
    }
}
