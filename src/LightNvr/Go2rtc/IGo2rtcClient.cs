namespace LightNvr.Go2rtc;

/// <summary>The calls the stream sync and the health loop make to go2rtc's API; <see cref="Go2rtcApi"/> over loopback HTTP, a fake in tests.</summary>
public interface IGo2rtcClient
{
    Task<string?> GetVersionAsync(TimeSpan deadline, CancellationToken cancel);
    Task<IReadOnlyDictionary<string, ObservedStream>?> ListStreamsAsync(CancellationToken cancel);
    Task<(ProbeResult Probe, IReadOnlyDictionary<string, ObservedStream>? Streams)> ObserveAsync(bool schemesProbe, TimeSpan deadline, CancellationToken cancel);
    Task<ApiOutcome> PutStreamAsync(string query, CancellationToken cancel);
    Task<ApiOutcome> DeleteStreamAsync(string name, CancellationToken cancel);
    Task<ApiOutcome> PreloadAsync(string name, CancellationToken cancel);

    /// <summary><c>GET /api/stream.mp4?src=NAME&amp;duration=SECONDS</c>: fragmented MP4 that go2rtc ends after the duration, streamed, never buffered whole.</summary>
    Task<Mp4Opening> OpenMp4Async(string name, int durationSeconds, CancellationToken cancel);
}

/// <summary>An MP4 body being streamed from go2rtc (the caller disposes it), or go2rtc's reason for not giving one.</summary>
public sealed record Mp4Opening(Stream? Body, string? Refusal);

/// <summary>What go2rtc's generated config lists at start: every stream with its sources, and those kept connected.</summary>
public sealed record ConfigStreams(IReadOnlyDictionary<string, IReadOnlyList<string>> Sources, IReadOnlyCollection<string> Preload)
{
    public static readonly ConfigStreams None = new(new Dictionary<string, IReadOnlyList<string>>(), []);
}

/// <summary>Where the supervisor reads the streams to write at each start (the camera list's owner answers it).</summary>
public interface IConfigStreamsSource
{
    ConfigStreams For(Go2rtcVersion version);
}
