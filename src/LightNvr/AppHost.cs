using System.Net;
using LightNvr.Api;
using LightNvr.Auth;
using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Streams;
using LightNvr.Logging;
using LightNvr.Metrics;
using LightNvr.Status;
using LightNvr.Web;
using LightNvr.WebRtc;
using Microsoft.Extensions.Logging.Console;

namespace LightNvr;

/// <summary>Composition root: one line per responsibility, in start order.</summary>
public static class AppHost
{
    public static WebApplication Build(LoadedConfig loaded, string[]? args = null, SupervisorOptions? supervisor = null, BoardRoots? board = null)
    {
        StatusService.Started = TimeProvider.System.GetTimestamp();
        var config = loaded.Config;
        // The content root is the binary's own directory, and config files are not watched: by default
        // the host would watch the working directory recursively (under systemd that is "/": the whole disk).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [.. args ?? [], "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Logging: one formatter, to stderr, credentials redacted in every line.
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevelOf(config.Log.Level));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddConsole(o =>
        {
            o.FormatterName = RedactingConsoleFormatter.FormatterName;
            o.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        // Registered directly: AddConsoleFormatter<,> binds options by reflection, which AOT cannot do.
        builder.Services.AddSingleton<ConsoleFormatter, RedactingConsoleFormatter>();
        var recentLog = new RecentLog(); // the appliance's last lines, for the diagnostics bundle
        builder.Logging.AddProvider(recentLog);
        builder.Services.AddSingleton(recentLog);

        // The one LAN endpoint.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(config.Web.Listen), config.Web.Port);
            k.Limits.MaxRequestBodySize = BodyLimits.JsonBytes; // the backstop; BodyLimits sets each route's own
            // Kestrel reads ahead up to 1 MB per connection by default: eight clients pushing bodies that will be
            // refused would hold 8 MB of a small board's memory. No route takes more than a JSON body.
            k.Limits.MaxRequestBufferSize = 64 * 1024;
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            foreach (var context in new System.Text.Json.Serialization.JsonSerializerContext[]
                     { LightNvr.Api.ApiJson.Default, StreamsJson.Default, HealthJson.Default, LightNvr.Detection.DetectionJson.Default, WebJson.Default })
                o.SerializerOptions.TypeInfoResolverChain.Insert(0, context);
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
        });

        // Config and status.
        builder.Services.AddSingleton(loaded);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StatusService>();

        // go2rtc: one supervisor owns its lifecycle.
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(supervisor ?? new SupervisorOptions());
        builder.Services.AddSingleton(new RestartLedger(new RestartBudgetOptions(config.Health.MaxRestarts,
            TimeSpan.FromSeconds(config.Health.RestartWindowSeconds), RestartBudgetOptions.Default.RetryEvery)));
        builder.Services.AddSingleton<Go2rtcSupervisor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Go2rtcSupervisor>());

        // The camera list, and go2rtc's streams kept equal to it.
        var machineNames = OwnServices.MachineNames(); // read once: the Host check and the source rule share it
        builder.Services.AddSingleton(sp => new OwnServices(() => OwnPorts(config, sp), machineNames));
        builder.Services.AddSingleton(sp => new CameraList(StreamsFile.PathBeside(loaded.Path), sp.GetRequiredService<ILogger<CameraList>>(),
            own: sp.GetRequiredService<OwnServices>()));
        builder.Services.AddSingleton<StreamSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamSync>());
        builder.Services.AddProblemDetails();

        // Health: one loop observes, decides, acts and publishes the snapshot everything else reads.
        builder.Services.AddSingleton(new LightNvr.Posix.SystemdNotify());
        builder.Services.AddSingleton<HealthLoop>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HealthLoop>());
        builder.Services.AddSingleton<KeepAliveConsumers>();
        builder.Services.AddSingleton(new HealthHistory());
        builder.Services.AddHostedService<HealthHistoryRecorder>();

        // Snapshots: one service for every caller.
        builder.Services.AddSingleton<LightNvr.Frames.SnapshotService>();
        builder.Services.AddSingleton<IMetricSource>(sp => sp.GetRequiredService<LightNvr.Frames.SnapshotService>());

        // Detection: one loop per camera with detect: settings, fed by the snapshot service.
        builder.Services.AddSingleton<LightNvr.Detection.DetectionStore>();
        builder.Services.AddSingleton<IMetricSource>(sp => sp.GetRequiredService<LightNvr.Detection.DetectionStore>().Counters);
        builder.Services.AddSingleton<LightNvr.Detection.FeedTiming>();
        builder.Services.AddSingleton<LightNvr.Detection.DetectionFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LightNvr.Detection.DetectionFeed>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KeepAliveConsumers>());

        // The admin login: cookie for people, Basic for programs; everything else requires it.
        builder.Services.AddAdminAuth(config);

        // WebRTC links: the player, the offer relay (rate-limited per address), the HLS fallback.
        builder.Services.AddWebRtc();

        // The board: status LED, reset button, maintenance console (each only when configured).
        builder.Services.AddBoard(config, board?.LedRoot ?? LightNvr.Board.SysfsLed.DefaultRoot);

        var app = builder.Build();
        // The LAN endpoint's guards, before anything reads the request: headers on every answer, own
        // Host names only, problem+json for errors and failed writes, bounded bodies, then the login.
        app.UseSecurityHeaders();
        app.Use(new HostCheck([.. machineNames, .. config.Web.Hostnames]).Invoke);
        app.UseApiErrors();
        app.UseBodyLimits();
        app.UseAdminAuth();
        app.MapAuth();
        app.MapApiFallback();
        app.MapStatus();
        app.MapStreams();
        app.MapHealth();
        app.MapMetrics();
        LightNvr.Frames.FramesEndpoints.MapFrames(app);
        app.MapWebRtc();
        LightNvr.Detection.DetectionEndpoints.MapDetections(app);
        var systemd = app.Services.GetRequiredService<LightNvr.Posix.SystemdNotify>();
        app.Lifetime.ApplicationStarted.Register(systemd.Ready);
        app.Lifetime.ApplicationStopping.Register(systemd.Stopping);
        return app;
    }

    /// <summary>The ports no camera may point at on this machine; the web port as bound (0 in the config = chosen at start).</summary>
    private static IReadOnlyCollection<int> OwnPorts(AppConfig config, IServiceProvider services)
    {
        var ports = new HashSet<int> { config.Go2rtc.ApiPort, config.Go2rtc.WebrtcPort };
        if (config.Web.Port != 0) ports.Add(config.Web.Port);
        var addresses = services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0) ports.Add(uri.Port);
        return ports;
    }

    private static LogLevel LogLevelOf(string level) => level switch
    {
        "trace" => LogLevel.Trace, "debug" => LogLevel.Debug, "warn" => LogLevel.Warning,
        "error" => LogLevel.Error, _ => LogLevel.Information,
    };
}
