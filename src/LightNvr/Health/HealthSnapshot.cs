using LightNvr.Go2rtc;

namespace LightNvr.Health;

/// <summary>One stream's health as the snapshot shows it.</summary>
public sealed record StreamHealth(string Name, string Camera, Liveness State, long BytesTotal, double BytesPerSecond,
    int Consumers, string? Why);

/// <summary>
/// The one picture of health every consumer reads (status page, /api/health, /metrics, LED, console):
/// immutable, published whole by the health loop each period.
/// </summary>
public sealed record HealthSnapshot(
    DateTimeOffset At,
    Go2rtcStatus Go2rtc,
    ApiHealth Api,
    int ApiMisses,
    long RssBytes,
    double? CpuPercent,
    bool CpuWarning,
    IReadOnlyList<StreamHealth> Streams,
    ConsensusVerdict Consensus,
    IReadOnlyList<RestartEntry> Restarts,
    string? Failed)
{
    /// <summary>go2rtc restarts per reason since the appliance started (never falls; the ring above keeps only the last 20).</summary>
    public IReadOnlyDictionary<string, long> RestartTotals { get; init; } = new Dictionary<string, long>();

    public static HealthSnapshot Initial(Go2rtcStatus status) =>
        new(DateTimeOffset.UnixEpoch, status, ApiHealth.Healthy, 0, 0, null, false, [], ConsensusVerdict.None, [], null);
}
