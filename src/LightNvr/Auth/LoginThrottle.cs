using LightNvr.Limits;

namespace LightNvr.Auth;

/// <summary>
/// At most <see cref="Limit"/> failed password attempts per client address in a sliding minute,
/// shared by the login form and HTTP Basic. Checking the window before the slow hash and counting
/// the failure after it let 40 parallel guesses through as 14 hashes; so every attempt that needs a
/// hash is reserved in the window first and given back when the password was right, and the hashes
/// themselves run one at a time: a right password that arrives 100 times at once is hashed once and
/// then remembered (<see cref="PasswordStore.Remembered"/>), never refused for its own parallelism.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int Limit = 5;
    public const int MaxClients = SlidingWindowPerClient.MaxClients;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly SlidingWindowPerClient _failures = new(Limit, Window, clock);
    // One PBKDF2 run at a time for the whole appliance: 600 000 rounds each, a board has few cores.
    private readonly SemaphoreSlim _hashing = new(1, 1);

    /// <summary>How long the client must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string client) => _failures.RetryAfter(client);

    public void Failed(string client) => _failures.Record(client);

    /// <summary>
    /// Checks <paramref name="password"/> for <paramref name="client"/>: (true, null) when right,
    /// (false, null) when wrong (counted), (false, wait) when over the limit (not hashed, not counted).
    /// </summary>
    public async Task<(bool Ok, TimeSpan? Wait)> Attempt(string client, string? password, PasswordStore store, CancellationToken cancel)
    {
        if (RetryAfter(client) is { } early) return (false, early);
        if (store.Remembered(password)) return (true, null);
        await _hashing.WaitAsync(cancel);
        try
        {
            if (store.Remembered(password)) return RetryAfter(client) is { } wait ? (false, wait) : (true, null);
            if (_failures.TryTake(client) is { } refused) return (false, refused);
            if (!store.Verify(password)) return (false, null);
            _failures.Release(client); // right: the reservation was not a failure
            return (true, null);
        }
        finally
        {
            _hashing.Release();
        }
    }

    /// <summary>Whole seconds, rounded up, for a Retry-After header.</summary>
    public static string Seconds(TimeSpan wait) => SlidingWindowPerClient.Seconds(wait);
}
