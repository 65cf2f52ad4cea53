using LightNvr.Config;
using Microsoft.Extensions.Logging.Console;

namespace LightNvr.Logging;

/// <summary>One formatter, to stderr, credentials redacted in every line; the last lines kept for the diagnostics bundle.</summary>
public static class LoggingModule
{
    public static WebApplicationBuilder AddApplianceLogging(this WebApplicationBuilder builder, LogSettings settings)
    {
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LevelOf(settings.Level));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddConsole(o =>
        {
            o.FormatterName = RedactingConsoleFormatter.FormatterName;
            o.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        // Registered directly: AddConsoleFormatter<,> binds options by reflection, which AOT cannot do.
        builder.Services.AddSingleton<ConsoleFormatter, RedactingConsoleFormatter>();
        var recentLog = new RecentLog();
        builder.Logging.AddProvider(recentLog);
        builder.Services.AddSingleton(recentLog);
        return builder;
    }

    private static LogLevel LevelOf(string level) => level switch
    {
        "trace" => LogLevel.Trace, "debug" => LogLevel.Debug, "warn" => LogLevel.Warning,
        "error" => LogLevel.Error, _ => LogLevel.Information,
    };
}
