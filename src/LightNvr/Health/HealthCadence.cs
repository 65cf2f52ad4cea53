using LightNvr.Go2rtc;

namespace LightNvr.Health;

/// <summary>What the wait before the next tick depends on, read from one finished tick.</summary>
/// <param name="Go2rtcReady">go2rtc is ready: only then is there anything to probe.</param>
/// <param name="StreamsListed">This tick read go2rtc's stream list (not only the fallback probe).</param>
/// <param name="Acted">This tick asked for a restart or a re-registration.</param>
/// <param name="RssOverLimit">go2rtc's RSS is over its limit (the memory window is running).</param>
public sealed record CadenceInputs(bool Go2rtcReady, bool StreamsListed, ApiVerdict Api, bool Acted, bool RssOverLimit,
    IEnumerable<StreamLivenessState> Streams);

/// <param name="Period">health.period_ms: the cadence whenever anything is, or may be going, wrong.</param>
/// <param name="CalmPeriod">health.calm_period_ms: the cadence while everything is well (at least <paramref name="Period"/>).</param>
public sealed record CadenceOptions(TimeSpan Period, TimeSpan CalmPeriod);

/// <summary>
/// How long the health loop waits before its next tick. Each tick wakes the whole appliance (a timer, the thread
/// pool, a request to go2rtc), which is most of its idle CPU; while go2rtc answers and every watched camera's bytes
/// rose at the last sample, nothing is lost by looking less often. The first sign of trouble (a missed probe, a flat
/// or failed camera, a new camera, anything acted on) brings the normal period back at once, so a hang still
/// needs one calm period plus hung_after probes to be seen. Pure.
/// </summary>
public static class HealthCadence
{
    public static bool IsCalm(CadenceInputs t) =>
        t.Go2rtcReady && t.StreamsListed && t.Api is { Health: ApiHealth.Healthy, ConsecutiveMisses: 0 } && !t.Acted && !t.RssOverLimit
        // Idle = not watched: nothing is measured for it, so it cannot go wrong unseen.
        && t.Streams.All(s => s.State == Liveness.Idle || s is { State: Liveness.Live, FlatSamples: 0 });

    public static TimeSpan Next(CadenceInputs t, CadenceOptions o) => IsCalm(t) && o.CalmPeriod > o.Period ? o.CalmPeriod : o.Period;

    /// <summary>The inputs of one finished tick.</summary>
    public static CadenceInputs Of(HealthMemory memory, HealthObservation observation, Decision decision) =>
        new(observation.Go2rtc.Phase == Go2rtcPhase.Ready, observation.Listed is not null, memory.Api, decision is not Decision.None,
            memory.Resources.RssOverSince is not null, memory.Streams.Values);
}
