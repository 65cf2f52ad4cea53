using LightNvr.Go2rtc;

namespace LightNvr.Streams;

/// <summary>
/// Answers the supervisor at each start with the streams of the current camera list (go2rtc then starts
/// with them, no registration round trips), and remembers what it wrote so the sync can take those
/// streams as registered once it sees the new go2rtc.
/// </summary>
public sealed class ConfigStreamsFromCameras(CameraList cameras) : IConfigStreamsSource
{
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _written;

    public ConfigStreams For(Go2rtcVersion version)
    {
        var load = cameras.Current;
        var desired = DesiredStreams.From(load.Cameras, version, load.RefusedNames);
        Volatile.Write(ref _written, desired.Sources);
        return new ConfigStreams(desired.Sources, WatchedStreams.KeptConnected(desired, version));
    }

    /// <summary>What the last start wrote, taken once (null when it was taken already).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? TakeWritten() => Interlocked.Exchange(ref _written, null);
}
