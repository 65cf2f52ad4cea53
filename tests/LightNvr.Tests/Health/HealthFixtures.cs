using System.Collections.Immutable;
using LightNvr.Health;

namespace LightNvr.Tests.Health;

internal static class HealthFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Streams cam0, cam1 … from letters: L live, W starting (warming up), S stalled, E error, I idle.</summary>
    public static ImmutableDictionary<string, StreamLivenessState> StreamsOf(string letters) =>
        letters.Select((c, i) => KeyValuePair.Create($"cam{i}", new StreamLivenessState(c switch
        {
            'L' => Liveness.Live,
            'W' => Liveness.Starting,
            'S' => Liveness.Stalled,
            'E' => Liveness.Error,
            _ => Liveness.Idle,
        }, 100, 0, T0, T0, T0, c switch { 'S' => "no new bytes for 3 samples", 'E' => "stream missing from go2rtc", _ => null })))
        .ToImmutableDictionary(StringComparer.Ordinal);
}
