using LightNvr.Go2rtc;
using System.Collections.Immutable;

namespace LightNvr.Health;

/// <summary>The one thing the health checker does this tick.</summary>
public abstract record Decision
{
    public sealed record None : Decision;
    /// <summary>Ask the supervisor for a restart; whether the budget allows it is the supervisor's call alone.</summary>
    public sealed record RestartGo2rtc(RestartReason Reason, string Why) : Decision;
    public sealed record Reregister(ImmutableArray<HealAction> Streams) : Decision;
}

/// <summary>Everything one tick decides on; every field is the output of one of the pure folds.</summary>
/// <param name="Go2rtcReadySince">When the running go2rtc became ready, null if unknown.</param>
public sealed record TickInputs(
    ApiVerdict Api,
    ResourceVerdict Resources,
    IReadOnlyDictionary<string, StreamLivenessState> Streams,
    ConsensusMemory Consensus,
    IReadOnlyDictionary<string, DateTimeOffset> LastHealAt,
    DateTimeOffset? Go2rtcReadySince,
    DateTimeOffset Now);

public sealed record HealthOptions(ConsensusOptions Consensus, TimeSpan HealCooldown)
{
    public static readonly HealthOptions Default = new(ConsensusOptions.Default, StreamHealing.DefaultCooldown);
}

/// <param name="Consensus">The consensus memory to keep: it records a consensus restart only when one is decided.</param>
public sealed record TickOutcome(Decision Decision, ConsensusMemory Consensus, ConsensusVerdict ConsensusVerdict);

public static class HealthDecision
{
    /// <summary>
    /// Precedence: hung &gt; memory &gt; consensus &gt; per-stream healing (the last two only while the API answers). A process that does not answer
    /// cannot be helped by anything else; a leak kills the whole box if left; a majority of dead streams
    /// points at go2rtc; a single dead stream points at its camera.
    /// </summary>
    public static TickOutcome Decide(TickInputs t, HealthOptions? options = null)
    {
        var o = options ?? HealthOptions.Default;
        var consensus = Consensus.Decide(t.Streams, t.Consensus, t.Go2rtcReadySince, t.Now, o.Consensus);

        var (reason, why) =
            t.Api.Health == ApiHealth.Hung ? (RestartReason.Hung, $"API missed {t.Api.ConsecutiveMisses} probes in a row")
            : t.Resources.RestartForMemory ? (RestartReason.Memory, $"RSS {t.Resources.RssBytes} bytes over the limit")
            : t.Api.Health == ApiHealth.Healthy && consensus.Verdict == ConsensusVerdict.RestartGo2rtc
                ? (RestartReason.Consensus, $"{consensus.Failed.Count} of {consensus.Watched} watched streams failed: {string.Join(", ", consensus.Failed)}")
            : ((RestartReason?)null, "");

        if (reason is { } r)
        {
            var memory = r == RestartReason.Consensus ? Consensus.AfterRestart(consensus, t.Now) : consensus.Memory;
            return new(new Decision.RestartGo2rtc(r, why), memory, consensus.Verdict);
        }

        // A suspect API means the stream picture may be stale; a go2rtc still settling after a restart
        // is being judged by consensus, and its streams are the reconciler's to re-register.
        var hold = t.Api.Health != ApiHealth.Healthy || consensus.Verdict == ConsensusVerdict.Waiting;
        var heal = StreamHealing.Choose(t.Streams, t.LastHealAt, t.Now, go2rtcRestartDecided: hold, o.HealCooldown);
        Decision decision = heal.IsEmpty ? new Decision.None() : new Decision.Reregister(heal);
        return new(decision, consensus.Memory, consensus.Verdict);
    }
}
