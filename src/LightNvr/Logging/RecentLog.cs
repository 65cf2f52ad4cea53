namespace LightNvr.Logging;

/// <summary>
/// The appliance's own last log lines, kept in memory (redacted, bounded) for the diagnostics
/// bundle: under systemd the journal has them too, but a person downloading a bundle may not.
/// </summary>
public sealed class RecentLog(int capacity = 500) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();

    public IReadOnlyList<string> Lines { get { lock (_gate) return [.. _lines]; } }

    public void Add(string line)
    {
        var clean = Redactor.Redact(line).ReplaceLineEndings(" ");
        lock (_gate)
        {
            _lines.Enqueue(clean);
            while (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose() { }

    private sealed class Logger(RecentLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            if (exception is not null) message += " | " + exception.GetType().Name + ": " + exception.Message;
            log.Add($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss.fff} {logLevel} {category}: {message}");
        }
    }
}
