using System.Collections.Immutable;

namespace LightNvr.Health;

/// <summary>
/// What the health checker remembers about its last consensus restart. <see cref="FailedSet"/> is the
/// set of failed streams when the restart was made, then, once <see cref="Concluded"/>, the set that
/// the restart did not fix: the "picture" that must change before consensus may restart again.
/// </summary>
public sealed record ConsensusMemory(DateTimeOffset? LastRestartAt, ImmutableSortedSet<string> FailedSet, bool Concluded)
{
    public static readonly ConsensusMemory Empty = new(null, ImmutableSortedSet<string>.Empty, false);

    // Value equality for the set too, so "memory unchanged" can be compared (records compare it by reference).
    public bool Equals(ConsensusMemory? other) =>
        other is not null && LastRestartAt == other.LastRestartAt && Concluded == other.Concluded && FailedSet.SetEquals(other.FailedSet);

    public override int GetHashCode() => HashCode.Combine(LastRestartAt, Concluded, FailedSet.Count);
}

public enum ConsensusVerdict
{
    None,
    RestartGo2rtc,
    /// <summary>go2rtc (re)started less than a warm-up ago: streams are still connecting, no judgement.</summary>
    Waiting,
    /// <summary>A consensus restart did not help: the cameras or the network are down, not go2rtc.</summary>
    CamerasOrNetworkDown,
}

/// <param name="Memory">The memory to keep if no restart is made this tick; see <see cref="Consensus.AfterRestart"/>.</param>
public sealed record ConsensusResult(ConsensusVerdict Verdict, ConsensusMemory Memory, ImmutableSortedSet<string> Failed, int Watched);

public sealed record ConsensusOptions(int MinWatched, TimeSpan WarmUp)
{
    /// <summary>LightNVR's <c>PROCESS_MIN_STREAMS_FOR_CONSENSUS</c> and the stream warm-up.</summary>
    public static readonly ConsensusOptions Default = new(2, LivenessOptions.Default.WarmUp);
}

/// <summary>
/// When most cameras fail at once the common factor is go2rtc; when one does, it is the camera
/// (restarting go2rtc for one offline camera would cut every other camera's viewers for nothing). Pure.
/// </summary>
public static class Consensus
{
    /// <param name="go2rtcReadySince">When the running go2rtc became ready, whatever restarted it: its
    /// streams are mid-registration or warming up, so they cannot vote yet.</param>
    public static ConsensusResult Decide(IReadOnlyDictionary<string, StreamLivenessState> streams, ConsensusMemory memory,
        DateTimeOffset? go2rtcReadySince, DateTimeOffset now, ConsensusOptions? options = null)
    {
        var o = options ?? ConsensusOptions.Default;
        var watched = streams.Count(s => s.Value.State != Liveness.Idle);
        var failed = streams.Where(s => s.Value.Failed).Select(s => s.Key).ToImmutableSortedSet(StringComparer.Ordinal);
        var majority = watched >= o.MinWatched && failed.Count * 2 > watched;
        ConsensusResult R(ConsensusVerdict v, ConsensusMemory m) => new(v, m, failed, watched);

        var settleFrom = Latest(memory.LastRestartAt, go2rtcReadySince);
        if (settleFrom is { } from && now - from < o.WarmUp)
            return R(ConsensusVerdict.Waiting, memory);

        if (memory.LastRestartAt is not null && !memory.Concluded)
        {
            // The warm-up after our restart is over: it either helped, or it did not and never will.
            // Streams still starting (stall detection needs a few samples after the warm-up) have not
            // told yet: judging now would call the restart a success and allow another one.
            if (streams.Values.Any(s => s.State == Liveness.Starting)) return R(ConsensusVerdict.Waiting, memory);
            if (!majority) return R(ConsensusVerdict.None, ConsensusMemory.Empty);
            return R(ConsensusVerdict.CamerasOrNetworkDown, memory with { FailedSet = failed, Concluded = true });
        }

        if (memory.Concluded)
        {
            // The picture changes when a camera of the concluded set comes back, or another one fails.
            // A concluded camera merely starting over (re-registered to heal it) changes nothing.
            var recovered = memory.FailedSet.Any(n => streams.TryGetValue(n, out var s) && s.State == Liveness.Live);
            var newlyFailed = failed.Except(memory.FailedSet).Any();
            if (!recovered && !newlyFailed) return R(ConsensusVerdict.CamerasOrNetworkDown, memory);
            memory = ConsensusMemory.Empty; // the picture changed: judge afresh
        }

        return R(majority ? ConsensusVerdict.RestartGo2rtc : ConsensusVerdict.None, memory);
    }

    /// <summary>The memory once a consensus restart has actually been made (not merely wanted).</summary>
    public static ConsensusMemory AfterRestart(ConsensusResult result, DateTimeOffset now) =>
        new(now, result.Failed, false);

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);
}
