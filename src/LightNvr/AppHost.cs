using LightNvr.Auth;
using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Detection;
using LightNvr.Door;
using LightNvr.Frames;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Hosting;
using LightNvr.Logging;
using LightNvr.Metrics;
using LightNvr.Recording;
using LightNvr.Status;
using LightNvr.Streams;
using LightNvr.Web;
using LightNvr.WebRtc;

namespace LightNvr;

/// <summary>
/// The composition root, as a table of contents: each folder adds its services and maps its routes.
/// Read it top to bottom as start order; docs/architecture.md says who publishes what and who reads it.
/// </summary>
public static class AppHost
{
    public static WebApplication Build(LoadedConfig loaded, string[]? args = null, SupervisorOptions? supervisor = null, BoardRoots? board = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        var config = loaded.Config;
        // The empty builder: no configuration sources (environment, command line, appsettings and the file globbing
        // behind them), no developer exception page, no HTTPS or HTTP/3 in Kestrel; everything comes from lightnvr.yaml.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        var machineNames = OwnServices.MachineNames(); // read once: the Host check and the camera source rule share them

        builder.AddApplianceLogging(config.Log);          // redacted lines to stderr, the last ones kept
        builder.AddWebEndpoint(config.Web);               // Kestrel on the one LAN endpoint, JSON, problem+json
        var firstOwn = builder.Services.Count;            // from here on, the appliance's own registrations
        builder.Services
            .AddSingleton(loaded).AddSingleton(config).AddSingleton(TimeProvider.System)
            .AddStatus(started)                           // the report every view reads
            .AddSystemd()                                 // READY, STATUS, WATCHDOG
            .AddHeapTrim()                                // the heap handed back to the system after a burst
            .AddGo2rtc(config, supervisor)                // the supervisor: go2rtc's process and restart rules
            .AddStreams(loaded, machineNames)             // the camera list; go2rtc's streams kept equal to it
            .AddHealth()                                  // the health loop and its snapshot
            .AddFrames()                                  // snapshots for every caller
            .AddDetection()                               // the detection feed per camera
            .AddRecording()                               // MP4 segments of the cameras with record: true, retention
            .AddAdminAuth(config)                         // the admin password, cookie and Basic
            .AddWebRtc()                                  // the player, the offer relay, HLS
            .AddDoor(config)                              // go2rtc's own UI at /go2rtc/, when go2rtc.expose_ui opens it
            .AddBoard(config, board?.LedRoot ?? SysfsLed.DefaultRoot); // LED, reset button, console

        builder.Services.StartAfterListening(firstOwn);   // the background services: made and started once the endpoint listens
        var app = builder.Build();
        app.UseWebGuards([.. machineNames, .. config.Web.Hostnames]);
        app.UseAdminAuth();
        app.MapAuth();
        app.MapWeb();
        app.MapStreams();
        app.MapHealth();
        app.MapMetrics();
        app.MapFrames();
        app.MapWebRtc();
        app.MapDetections();
        app.MapDoor(config);
        app.MapRecording();
        app.NotifySystemd();
        return app;
    }
}
