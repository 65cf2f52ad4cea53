namespace LightNvr.Health;

/// <summary>
/// A supervisor's health policy as numbers, for comparing decisions on the same traces. Null means the
/// peer has no such limit (or the source does not say).
/// </summary>
/// <param name="ProbeTimeout">Total time a probe may take; null when unbounded (Frigate bounds only the TCP connect).</param>
/// <param name="FailuresBeforeRestart">Consecutive failed probes before a restart.</param>
/// <param name="Cooldown">Minimum time between restarts.</param>
/// <param name="ConsensusMinStreams">With at least this many streams, a restart needs a strict majority of them failed.</param>
/// <param name="CalmInterval">The check interval while everything is well (<see cref="HealthCadence"/>); null: always <paramref name="CheckInterval"/>.</param>
public sealed record PeerPolicy(
    string Name,
    TimeSpan CheckInterval,
    TimeSpan? ProbeTimeout,
    int FailuresBeforeRestart,
    TimeSpan RespawnDelay,
    TimeSpan? Cooldown,
    int? MaxRestarts,
    TimeSpan? RestartWindow,
    bool CountsFailedRestarts,
    int? ConsensusMinStreams,
    TimeSpan? StreamWarmUp,
    TimeSpan? CalmInterval = null);

public static class PeerPolicies
{
    /// <summary>
    /// LightNVR's monitor thread (its go2rtc integration's constants: consensus vetoes a restart unless a
    /// strict majority of ≥2 streams failed; failed restarts are not counted, so they are retried without
    /// end). The 3 s connect / 5 s total is its <c>/api/streams</c> timeout.
    /// </summary>
    public static readonly PeerPolicy LightNvr = new("LightNVR", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 3,
        TimeSpan.Zero, TimeSpan.FromSeconds(120), 5, TimeSpan.FromSeconds(600), false, 2, TimeSpan.FromSeconds(120));

    /// <summary>
    /// Home Assistant's go2rtc watchdog: <c>GET /api</c> every 10 s with a 10 s total timeout, any failure
    /// restarts after 1 s, no backoff and no limit.
    /// </summary>
    public static readonly PeerPolicy HomeAssistant = new("Home Assistant", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), 1,
        TimeSpan.FromSeconds(1), null, null, null, false, null, null);

    /// <summary>
    /// Frigate's s6 healthcheck: every 30 s, restart after a single failure, 10 s connect timeout but no
    /// total timeout, s6 restarts with no limit.
    /// </summary>
    public static readonly PeerPolicy Frigate = new("Frigate", TimeSpan.FromSeconds(30), null, 1,
        TimeSpan.Zero, null, null, null, false, null, null);

    /// <summary>This appliance's defaults: the <c>health:</c> section of lightnvr.yaml as shipped (period 1 s, 3 s while
    /// calm, probe deadline 1 s, 3 misses), and the consensus floor, from the same records the health loop runs on.</summary>
    public static readonly PeerPolicy Appliance = FromSettings(new Config.HealthSettings());

    public static PeerPolicy FromSettings(Config.HealthSettings h) => new("LightNVR Appliance",
        TimeSpan.FromMilliseconds(h.PeriodMs), TimeSpan.FromMilliseconds(h.ProbeTimeoutMs), h.HungAfter, TimeSpan.Zero, null,
        h.MaxRestarts, TimeSpan.FromSeconds(h.RestartWindowSeconds), true, ConsensusOptions.Default.MinWatched, TimeSpan.FromSeconds(h.WarmUpSeconds),
        TimeSpan.FromMilliseconds(Math.Max(h.CalmPeriodMs, h.PeriodMs)));

    public static readonly IReadOnlyList<PeerPolicy> All = [LightNvr, HomeAssistant, Frigate, Appliance];
}
