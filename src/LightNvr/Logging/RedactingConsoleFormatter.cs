using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace LightNvr.Logging;

/// <summary>
/// The console formatter every log line goes through: one line per entry, credentials redacted, so
/// no caller has to remember to redact. journald adds its own timestamps; we add a short level token.
/// </summary>
public sealed class RedactingConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "lightnvr";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopeProvider, TextWriter writer)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        if (entry.Exception is not null) message += " | " + entry.Exception.GetType().Name + ": " + entry.Exception.Message;
        var category = entry.Category;
        var dot = category.LastIndexOf('.');
        if (dot >= 0) category = category[(dot + 1)..];
        writer.Write(Token(entry.LogLevel));
        writer.Write(' ');
        writer.Write(category);
        writer.Write(": ");
        writer.Write(Redactor.Redact(message).ReplaceLineEndings(" "));
        writer.Write('\n');
    }

    private static string Token(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRC", LogLevel.Debug => "DBG", LogLevel.Information => "INF",
        LogLevel.Warning => "WRN", LogLevel.Error => "ERR", LogLevel.Critical => "CRT", _ => "---",
    };
}
