using System.Collections.Immutable;
using LightNvr.Go2rtc;
using LightNvr.Streams;

namespace LightNvr.Health;

/// <summary>What the health loop carries from one tick to the next; every field is the output of a pure fold.</summary>
/// <param name="Generation">The go2rtc generation these counters belong to: a new go2rtc starts them over.</param>
/// <param name="LastBytes">Per stream, go2rtc's byte count and when it was read, for the rate.</param>
/// <param name="BytesCounted">Bytes per stream for the life of the appliance: go2rtc's own count restarts with every producer.</param>
/// <param name="Observed">The last real observation of go2rtc's streams, for bytes and viewers.</param>
public sealed record HealthMemory(
    int Generation,
    ApiVerdict Api,
    ResourceWatchState Resources,
    ConsensusMemory Consensus,
    ImmutableDictionary<string, DateTimeOffset> HealedAt,
    ImmutableDictionary<string, StreamLivenessState> Streams,
    ImmutableDictionary<string, (long Bytes, DateTimeOffset At)> LastBytes,
    ImmutableDictionary<string, long> BytesCounted,
    IReadOnlyDictionary<string, ObservedStream> Observed)
{
    public static readonly HealthMemory Empty = new(0, ApiVerdict.Initial, ResourceWatchState.Empty, ConsensusMemory.Empty,
        ImmutableDictionary<string, DateTimeOffset>.Empty, ImmutableDictionary.Create<string, StreamLivenessState>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, (long, DateTimeOffset)>(StringComparer.Ordinal), ImmutableDictionary.Create<string, long>(StringComparer.Ordinal),
        new Dictionary<string, ObservedStream>());
}

/// <summary>One tick's observation: the published states it read and what go2rtc answered (null probe: go2rtc was not ready).</summary>
public sealed record HealthObservation(
    DateTimeOffset Now,
    Go2rtcStatus Go2rtc,
    StreamsState Streams,
    ProbeResult? Probe,
    IReadOnlyDictionary<string, ObservedStream>? Listed,
    ResourceSample? Resources,
    RestartHistory Restarts,
    IReadOnlyDictionary<string, long> RestartTotals,
    bool BudgetSpent);

public sealed record HealthFoldOptions(HealthOptions Decision, LivenessOptions Liveness, ResourceOptions Resources, int HungAfter);

/// <summary>The health checker's one tick as a pure function: observation and memory in; the next memory, the decision and the snapshot out.</summary>
public static class HealthFold
{
    public static (HealthMemory Memory, Decision Decision, HealthSnapshot Snapshot) Next(HealthMemory memory, HealthObservation o, HealthFoldOptions options)
    {
        var status = o.Go2rtc;
        // A new go2rtc: its probes, resource samples and stream objects start over; its bytes are counted already.
        // What consensus concluded and when streams were healed outlive it: they are how a restart is judged.
        if (status.Generation != memory.Generation)
            memory = HealthMemory.Empty with
            {
                Generation = status.Generation, BytesCounted = memory.BytesCounted, Consensus = memory.Consensus, HealedAt = memory.HealedAt,
            };
        if (status.Phase != Go2rtcPhase.Ready || o.Probe is not { } probe || o.Resources is not { } sample)
        {
            var idle = Snapshot(memory, o, ResourceVerdict.Nothing, ConsensusVerdict.None, out var kept);
            return (kept, new Decision.None(), idle);
        }

        var api = ApiProbe.Next(memory.Api, probe, options.HungAfter);
        var observed = api.Health == ApiHealth.Healthy ? o.Listed : null;
        var streams = Liveness(memory.Streams, observed, o, options.Liveness);
        var (resourceState, resources) = ResourceWatch.Next(memory.Resources, sample, options.Resources);
        memory = memory with
        {
            Api = api, Resources = resourceState, Streams = streams,
            HealedAt = StreamHealing.Prune(memory.HealedAt, streams.Keys),
            Observed = observed ?? memory.Observed,
        };
        var outcome = HealthDecision.Decide(new TickInputs(api, resources, streams, memory.Consensus, memory.HealedAt, status.ReadyAt, o.Now),
            options.Decision);
        memory = memory with { Consensus = outcome.Consensus };
        if (outcome.Decision is Decision.Reregister heal) memory = memory with { HealedAt = StreamHealing.Record(memory.HealedAt, heal.Streams, o.Now) };
        var snapshot = Snapshot(memory, o, resources, outcome.ConsensusVerdict, out var next);
        return (next, outcome.Decision, snapshot);
    }

    /// <summary>One liveness per camera (its watched stream); without a fresh observation the previous state is kept.</summary>
    private static ImmutableDictionary<string, StreamLivenessState> Liveness(ImmutableDictionary<string, StreamLivenessState> previous,
        IReadOnlyDictionary<string, ObservedStream>? observed, HealthObservation o, LivenessOptions options)
    {
        if (o.Streams.Desired is not { } desired) return previous;
        // Watched = kept connected by go2rtc's preload (≥ 1.9.11) or by our own keep-alive consumer (older).
        var connected = WatchedStreams.Watched(desired);
        var next = ImmutableDictionary.CreateBuilder<string, StreamLivenessState>(StringComparer.Ordinal);
        foreach (var d in desired.Streams.Values)
        {
            var name = WatchedStreams.WatchedName(desired, d.Camera);
            if (name != d.Name) continue;
            if (observed is null && previous.TryGetValue(name, out var kept)) { next[name] = kept; continue; }
            var registeredAt = o.Streams.States.GetValueOrDefault(name)?.Since ?? o.Now;
            next[name] = StreamLiveness.Next(previous.GetValueOrDefault(name), StreamSample.From(observed?.GetValueOrDefault(name)),
                d.Watch && connected.Contains(name), registeredAt, o.Now, options, o.Streams.DialErrors.GetValueOrDefault(name));
        }
        return next.ToImmutable();
    }

    private static HealthSnapshot Snapshot(HealthMemory memory, HealthObservation o, ResourceVerdict resources, ConsensusVerdict consensus,
        out HealthMemory next)
    {
        var streams = new List<StreamHealth>();
        var lastBytes = memory.LastBytes.ToBuilder();
        var counted = memory.BytesCounted.ToBuilder();
        foreach (var (name, state) in memory.Streams.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var observed = memory.Observed.GetValueOrDefault(name);
            var total = observed?.BytesReceived ?? 0;
            var seen = memory.LastBytes.TryGetValue(name, out var last);
            var rate = seen && o.Now > last.At && total >= last.Bytes ? (total - last.Bytes) / (o.Now - last.At).TotalSeconds : 0;
            counted[name] = counted.GetValueOrDefault(name) + BytesSince(seen ? last.Bytes : null, total);
            lastBytes[name] = (total, o.Now);
            streams.Add(new StreamHealth(name, name.EndsWith("_sub") ? name[..^4] : name, state.State, counted[name], Math.Round(rate),
                observed?.Consumers ?? 0, state.Why));
        }
        next = memory with { LastBytes = lastBytes.ToImmutable(), BytesCounted = counted.ToImmutable() };
        var s = o.Go2rtc;
        var failed = s.RestartRefused is { } refused && o.Now < s.RefusedUntil ? refused
            : s.Phase == Go2rtcPhase.Failed && o.BudgetSpent ? s.Message : null;
        return new HealthSnapshot(o.Now, s, memory.Api.Health, memory.Api.ConsecutiveMisses, resources.RssBytes, resources.CpuPercent,
            resources.CpuWarning, streams, consensus, o.Restarts.Entries, failed) { RestartTotals = o.RestartTotals };
    }

    /// <summary>What go2rtc received since the previous sample; a count that fell belongs to a new producer, counting from zero.</summary>
    public static long BytesSince(long? previous, long now) => previous is { } p && now >= p ? now - p : now;
}
