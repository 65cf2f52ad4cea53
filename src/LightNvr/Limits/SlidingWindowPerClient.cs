namespace LightNvr.Limits;

/// <summary>
/// At most <c>limit</c> events per client address in any sliding <c>window</c>: the failed-login
/// throttle and the WebRTC offer limit. Driven by the caller's clock only, with no timer of its own:
/// ASP.NET Core's partitioned rate limiter wakes a 100 ms timer for the whole life of the app, which
/// measured 0.69 → 0.42 % of a core on an idle appliance (README, design notes). Memory is bounded:
/// stale clients are dropped, and past <see cref="MaxClients"/> the oldest go first.
/// </summary>
public sealed class SlidingWindowPerClient(int limit, TimeSpan window, TimeProvider clock)
{
    public const int MaxClients = 4096;

    private readonly Dictionary<string, Queue<DateTimeOffset>> _events = new();

    public int Limit => limit;
    public TimeSpan Window => window;

    /// <summary>How long the client must wait before its next event is allowed, or null when it may go now.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        lock (_events) return WaitFor(client, clock.GetUtcNow());
    }

    /// <summary>Counts one event for the client (whether or not it was allowed is the caller's business).</summary>
    public void Record(string client)
    {
        lock (_events) Add(client, clock.GetUtcNow());
    }

    /// <summary>Allowed: counts it and returns null. Refused: counts nothing and returns the wait.</summary>
    public TimeSpan? TryTake(string client)
    {
        var now = clock.GetUtcNow();
        lock (_events)
        {
            if (WaitFor(client, now) is { } wait) return wait;
            Add(client, now);
            return null;
        }
    }

    /// <summary>
    /// Takes back the client's newest event: a reservation made with <see cref="TryTake"/> that turned
    /// out not to count (the password was right).
    /// </summary>
    public void Release(string client)
    {
        lock (_events)
        {
            if (!_events.TryGetValue(client, out var times) || times.Count == 0) return;
            var kept = times.ToArray()[..^1];
            times.Clear();
            foreach (var t in kept) times.Enqueue(t);
        }
    }

    private TimeSpan? WaitFor(string client, DateTimeOffset now)
    {
        if (!_events.TryGetValue(client, out var times)) return null;
        Expire(times, now);
        if (times.Count < limit) return null;
        var wait = times.Peek() + window - now;
        return wait > TimeSpan.Zero ? wait : null;
    }

    private void Add(string client, DateTimeOffset now)
    {
        if (!_events.TryGetValue(client, out var times))
        {
            if (_events.Count >= MaxClients) Prune(now);
            _events[client] = times = new Queue<DateTimeOffset>();
        }
        Expire(times, now);
        times.Enqueue(now);
    }

    private void Expire(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() + window <= now) times.Dequeue();
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, times) in _events.ToList())
        {
            Expire(times, now);
            if (times.Count == 0) _events.Remove(client);
        }
        // Still full (a flood of addresses): forget the clients whose last event is oldest.
        if (_events.Count >= MaxClients)
            foreach (var client in _events.OrderBy(p => p.Value.Last()).Take(_events.Count - MaxClients / 2).Select(p => p.Key).ToList())
                _events.Remove(client);
    }

    /// <summary>Whole seconds, rounded up, for a Retry-After header.</summary>
    public static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
