namespace LightNvr.Auth;

/// <summary>
/// At most <see cref="Limit"/> failed password attempts per client address in a sliding minute,
/// shared by the login form and HTTP Basic. Memory is bounded: stale clients are dropped, and past
/// <see cref="MaxClients"/> the oldest entries go first.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int Limit = 5;
    public const int MaxClients = 4096;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new();

    /// <summary>How long the client must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        var now = clock.GetUtcNow();
        lock (_failures)
        {
            if (!_failures.TryGetValue(client, out var times)) return null;
            Expire(times, now);
            if (times.Count < Limit) return null;
            var wait = times.Peek() + Window - now;
            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    public void Failed(string client)
    {
        var now = clock.GetUtcNow();
        lock (_failures)
        {
            if (!_failures.TryGetValue(client, out var times))
            {
                if (_failures.Count >= MaxClients) Prune(now);
                _failures[client] = times = new Queue<DateTimeOffset>();
            }
            Expire(times, now);
            times.Enqueue(now);
        }
    }

    private static void Expire(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() + Window <= now) times.Dequeue();
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, times) in _failures.ToList())
        {
            Expire(times, now);
            if (times.Count == 0) _failures.Remove(client);
        }
        // Still full (a flood of addresses): forget the clients whose last failure is oldest.
        if (_failures.Count >= MaxClients)
            foreach (var client in _failures.OrderBy(p => p.Value.Last()).Take(_failures.Count - MaxClients / 2).Select(p => p.Key).ToList())
                _failures.Remove(client);
    }

    /// <summary>Whole seconds, rounded up, for a Retry-After header.</summary>
    public static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString();
}
