using LightNvr.Go2rtc;

namespace LightNvr.Health;

/// <summary>A stream's state. <see cref="Unreachable"/>: go2rtc said it cannot dial the camera (its reason in Why).</summary>
public enum Liveness { Starting, Live, Stalled, Error, Idle, Unreachable }

/// <summary>
/// One look at a stream in <c>GET /api/streams</c>: is the key there, how many producers, and the sum
/// of the producers' <c>bytes_recv</c>.
/// </summary>
public sealed record StreamSample(bool Present, int Producers, long Bytes)
{
    public static readonly StreamSample Missing = new(false, 0, 0);

    public static StreamSample From(ObservedStream? observed) =>
        observed is null ? Missing : new(true, observed.ProducerUrls.Count, observed.BytesReceived);
}

/// <summary>
/// A stream's liveness after the latest sample. <see cref="Baseline"/> is the byte count the next
/// sample is compared with; <see cref="WarmUpFrom"/> is when stall detection was last suppressed
/// (registration, re-registration, a new producer, or the camera becoming watched).
/// </summary>
public sealed record StreamLivenessState(
    Liveness State,
    long? Baseline,
    int FlatSamples,
    DateTimeOffset RegisteredAt,
    DateTimeOffset WarmUpFrom,
    DateTimeOffset Since,
    string? Why = null)
{
    public bool Failed => State is Liveness.Stalled or Liveness.Error;
}

/// <param name="WarmUp">LightNVR uses 120 s: while go2rtc warms a stream up its byte count can stay flat for
/// ~80–90 s, and a shorter warm-up calls that a stall.</param>
/// <param name="StallAfter">Flat samples in a row (after warm-up) before a stream counts as stalled.</param>
public sealed record LivenessOptions(TimeSpan WarmUp, int StallAfter = 3)
{
    public static readonly LivenessOptions Default = new(TimeSpan.FromMinutes(2));
}

public static class StreamLiveness
{
    /// <summary>
    /// Folds one sample, taken once per period, into the stream's state. <paramref name="previous"/> is
    /// null for a stream seen for the first time. <paramref name="dialError"/> is go2rtc's own reason
    /// when it last failed to dial the camera (credentials already removed), else null.
    /// </summary>
    public static StreamLivenessState Next(StreamLivenessState? previous, StreamSample sample, bool watched,
        DateTimeOffset registeredAt, DateTimeOffset now, LivenessOptions? options = null, string? dialError = null)
    {
        var o = options ?? LivenessOptions.Default;
        // A new registration means a new go2rtc Stream object: its counters and its warm-up start over.
        // An unreachable camera stays unreachable across it (re-registering is how it is retried): only
        // bytes flowing end that, else a dead camera would look like a starting one most of the time.
        var p = previous is null || previous.RegisteredAt != registeredAt
            ? previous is { State: Liveness.Unreachable } gone
                ? gone with { Baseline = null, FlatSamples = 0, RegisteredAt = registeredAt, WarmUpFrom = registeredAt }
                : new StreamLivenessState(Liveness.Starting, null, 0, registeredAt, registeredAt, now)
            : previous;

        // Nobody is watching: go2rtc connects producers on demand, so no bytes is normal. Never failed.
        if (!watched)
            return Become(p, Liveness.Idle, now, null) with { Baseline = null, FlatSamples = 0 };

        if (!sample.Present)
            return Become(p, Liveness.Error, now, "stream missing from go2rtc") with { Baseline = null, FlatSamples = 0 };
        if (sample.Producers == 0)
            return Become(p, Liveness.Error, now, "go2rtc reports no producer") with { Baseline = null, FlatSamples = 0 };

        if (p.State == Liveness.Unreachable)
        {
            if (p.Baseline is { } before && sample.Bytes > before)
                return Become(p, Liveness.Live, now, null) with { Baseline = sample.Bytes, FlatSamples = 0, WarmUpFrom = now };
            return p with { Baseline = sample.Bytes, FlatSamples = 0, Why = dialError ?? p.Why };
        }
        // go2rtc's word beats our guess, unless bytes are flowing (a stale report of an earlier attempt).
        if (dialError is not null && p.State != Liveness.Live)
            return Become(p, Liveness.Unreachable, now, dialError) with { Baseline = sample.Bytes, FlatSamples = 0 };

        // Coming back from idle or error is a fresh start: the producer (re)connects now.
        if (p.State is Liveness.Idle or Liveness.Error)
            p = p with { WarmUpFrom = now, Baseline = null, FlatSamples = 0 };

        // First sample after a start: only a baseline.
        if (p.Baseline is not { } baseline)
            return Become(p, Liveness.Starting, now, null) with { Baseline = sample.Bytes, FlatSamples = 0 };

        // Bytes going down: a new producer object (re-registration, go2rtc reconnect). A reset, not a stall.
        if (sample.Bytes < baseline)
            return Become(p, Liveness.Starting, now, null) with { Baseline = sample.Bytes, FlatSamples = 0, WarmUpFrom = now };

        if (sample.Bytes > baseline)
            return Become(p, Liveness.Live, now, null) with { Baseline = sample.Bytes, FlatSamples = 0 };

        // Flat. Within the warm-up a flat counter means nothing yet.
        if (now - p.WarmUpFrom < o.WarmUp)
            return p with { FlatSamples = 0 };

        var flat = p.FlatSamples + 1;
        return flat >= o.StallAfter
            ? Become(p, Liveness.Stalled, now, $"no new bytes for {flat} samples") with { FlatSamples = flat }
            : p with { FlatSamples = flat };
    }

    // Since moves only when the state word changes, so "stalled since" stays meaningful.
    private static StreamLivenessState Become(StreamLivenessState p, Liveness state, DateTimeOffset now, string? why) =>
        p.State == state ? p with { Why = why } : p with { State = state, Since = now, Why = why };
}
