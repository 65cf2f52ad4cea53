using LightNvr.Limits;

namespace LightNvr.Auth;

/// <summary>
/// At most <see cref="Limit"/> failed password attempts per client address in a sliding minute,
/// shared by the login form and HTTP Basic.
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

    /// <summary>Whole seconds, rounded up, for a Retry-After header.</summary>
    public static string Seconds(TimeSpan wait) => SlidingWindowPerClient.Seconds(wait);
}
