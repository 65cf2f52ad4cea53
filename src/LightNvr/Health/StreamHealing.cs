using System.Collections.Immutable;

namespace LightNvr.Health;

/// <summary>Re-register one stream (DELETE + PUT), and why.</summary>
public sealed record HealAction(string Stream, string Reason);

/// <summary>
/// Per-stream healing: go2rtc does not always reconnect a camera after it reboots (a nightly reboot left it dead), and a
/// fresh registration makes it. Pure.
/// </summary>
public static class StreamHealing
{
    /// <summary>LightNVR's <c>STREAM_REREGISTRATION_COOLDOWN_SEC</c>: re-registering faster only churns a camera that is down.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The failed streams to re-register now, in name order. None when a go2rtc restart is decided for
    /// this tick: the restart re-registers every stream anyway, and a DELETE racing it helps nobody.
    /// </summary>
    public static ImmutableArray<HealAction> Choose(IReadOnlyDictionary<string, StreamLivenessState> streams,
        IReadOnlyDictionary<string, DateTimeOffset> lastHealAt, DateTimeOffset now, bool go2rtcRestartDecided,
        TimeSpan? cooldown = null)
    {
        if (go2rtcRestartDecided) return [];
        var c = cooldown ?? DefaultCooldown;
        return
        [
            .. streams
                .Where(s => s.Value.Failed || s.Value.State == Liveness.Unreachable) // go2rtc never re-dials a failed preload
                .Where(s => !lastHealAt.TryGetValue(s.Key, out var at) || now - at >= c)
                .OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new HealAction(s.Key, $"{Word(s.Value.State)}: {s.Value.Why ?? "no detail"}")),
        ];
    }

    /// <summary>The heal times after <paramref name="actions"/> were carried out at <paramref name="now"/>.</summary>
    public static ImmutableDictionary<string, DateTimeOffset> Record(ImmutableDictionary<string, DateTimeOffset> lastHealAt,
        IEnumerable<HealAction> actions, DateTimeOffset now) =>
        lastHealAt.SetItems(actions.Select(a => KeyValuePair.Create(a.Stream, now)));

    /// <summary>Forgets streams that no longer exist, so a re-added camera is not held back by its old entry.</summary>
    public static ImmutableDictionary<string, DateTimeOffset> Prune(ImmutableDictionary<string, DateTimeOffset> lastHealAt,
        IEnumerable<string> existing) =>
        lastHealAt.RemoveRange(lastHealAt.Keys.Except(existing, StringComparer.Ordinal));

    internal static string Word(Liveness state) => state switch
    {
        Liveness.Starting => "starting",
        Liveness.Live => "live",
        Liveness.Stalled => "stalled",
        Liveness.Error => "error",
        Liveness.Unreachable => "unreachable",
        _ => "idle",
    };
}
