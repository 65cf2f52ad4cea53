namespace LightNvr.Streams;

/// <summary>What the appliance knows about one go2rtc stream it manages.</summary>
/// <param name="Registered">go2rtc has it, with the sources of the current camera list.</param>
public sealed record StreamState(bool Registered, string? Error = null, string? Warning = null, DateTimeOffset? Since = null);

/// <summary>The streams as their owner publishes them: one immutable value, replaced whole.</summary>
/// <param name="Desired">The streams go2rtc should have, as last computed; null before go2rtc was first ready.</param>
/// <param name="States">Per managed stream name: registered or not, and why not.</param>
/// <param name="DialErrors">
/// Per stream, go2rtc's reason when it last failed to dial the camera (its answer to our preload,
/// credentials removed); gone once a preload connects. The health loop shows it as "unreachable".
/// </param>
/// <param name="LastRegistrationMs">Time from seeing a new go2rtc ready to its streams verified, for the last start.</param>
public sealed record StreamsState(DesiredStreams? Desired, IReadOnlyDictionary<string, StreamState> States,
    IReadOnlyDictionary<string, string> DialErrors, double? LastRegistrationMs)
{
    public static readonly StreamsState Empty = new(null, new Dictionary<string, StreamState>(), new Dictionary<string, string>(), null);
}

/// <summary>The streams as the health loop reads and commands them (a fake in its tests).</summary>
public interface IStreams
{
    StreamsState State { get; }
    Task ReregisterAsync(IReadOnlyList<string> names, CancellationToken stop);
}
