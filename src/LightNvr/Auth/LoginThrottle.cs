using LightNvr.Limits;

namespace LightNvr.Auth;

/// <summary>
/// At most <see cref="Limit"/> failed password attempts per client address in a sliding minute,
/// shared by the login form and HTTP Basic. An attempt is reserved before the password is hashed
/// (<see cref="TryReserve"/>) and given back when it succeeds: checking the window first and counting
/// the failure after the slow hash let 40 parallel guesses through as 14 hashes.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int Limit = 5;
    public const int MaxClients = SlidingWindowPerClient.MaxClients;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly SlidingWindowPerClient _failures = new(Limit, Window, clock);

    /// <summary>How long the client must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string client) => _failures.RetryAfter(client);

    public void Failed(string client) => _failures.Record(client);

    /// <summary>Counts an attempt now, before the hash: null when it may go ahead, else how long to wait (nothing counted).</summary>
    public TimeSpan? TryReserve(string client) => _failures.TryTake(client);

    /// <summary>The reserved attempt succeeded: it is not a failure.</summary>
    public void Succeeded(string client) => _failures.Release(client);

    /// <summary>Whole seconds, rounded up, for a Retry-After header.</summary>
    public static string Seconds(TimeSpan wait) => SlidingWindowPerClient.Seconds(wait);
}
