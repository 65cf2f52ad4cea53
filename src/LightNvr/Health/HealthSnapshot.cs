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

    /// <summary>
    /// Whether <paramref name="next"/> says the same as <paramref name="previous"/> but for what moves on every tick
    /// (the time, byte counters and rates, go2rtc's RSS and CPU): readers that wait for a change (the appliance state,
    /// systemd's status line, the history) have nothing new to do for such a snapshot. Pure.
    /// </summary>
    public static bool SameState(HealthSnapshot previous, HealthSnapshot next)
    {
        if (!Equals(previous.Go2rtc, next.Go2rtc) || previous.Api != next.Api || previous.ApiMisses != next.ApiMisses
            || previous.CpuWarning != next.CpuWarning || previous.Consensus != next.Consensus || previous.Failed != next.Failed
            || previous.At == DateTimeOffset.UnixEpoch
            || !previous.Restarts.SequenceEqual(next.Restarts) || previous.Streams.Count != next.Streams.Count
            || previous.RestartTotals.Count != next.RestartTotals.Count)
            return false;
        for (var i = 0; i < next.Streams.Count; i++)
        {
            var (a, b) = (previous.Streams[i], next.Streams[i]);
            if (a.Name != b.Name || a.Camera != b.Camera || a.State != b.State || a.Consumers != b.Consumers || a.Why != b.Why) return false;
        }
        foreach (var (reason, count) in next.RestartTotals)
            if (!previous.RestartTotals.TryGetValue(reason, out var before) || before != count) return false;
        return true;
    }
}
