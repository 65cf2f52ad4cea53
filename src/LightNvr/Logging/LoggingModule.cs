using LightNvr.Config;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LightNvr.Logging;

/// <summary>One formatter, to stderr, credentials redacted in every line; the last lines kept for the diagnostics bundle.</summary>
public static class LoggingModule
{
    public static WebApplicationBuilder AddApplianceLogging(this WebApplicationBuilder builder, LogSettings settings)
    {
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LevelOf(settings.Level));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // The console provider made here, not by AddConsole: AddConsole registers three built-in formatters and an
        // options chain per formatter and for the provider, and the container of a Native AOT binary builds each of
        // those generic types at run time before the first page (measured: the largest single item of a start).
        builder.Services.AddSingleton<ILoggerProvider>(_ => new ConsoleLoggerProvider(new FixedOptions<ConsoleLoggerOptions>(new ConsoleLoggerOptions
        {
            FormatterName = RedactingConsoleFormatter.FormatterName,
            LogToStandardErrorThreshold = LogLevel.Trace,
        }), [new RedactingConsoleFormatter()]));
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

    /// <summary>Options that never change, made here so the container need not build the options machinery's generic types at run time.</summary>
    private sealed class FixedOptions<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(T value)
        : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
