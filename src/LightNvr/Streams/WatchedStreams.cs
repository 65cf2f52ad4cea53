using LightNvr.Go2rtc;

namespace LightNvr.Streams;

/// <summary>Which streams are watched and kept connected: pure rules over the desired streams.</summary>
public static class WatchedStreams
{
    /// <summary>
    /// The streams go2rtc keeps connected: cameras marked preload, and every watched camera's stream
    /// (its _sub when it has one, video only) so the health checker can see bytes flowing. Needs go2rtc
    /// ≥ 1.9.11; below that nothing is preloaded and watched cameras count as idle.
    /// </summary>
    public static HashSet<string> KeptConnected(DesiredStreams desired, Go2rtcVersion version)
    {
        if (!StreamFeatures.Has(version, StreamFeatures.Preload)) return new HashSet<string>(StringComparer.Ordinal);
        var names = Watched(desired);
        names.UnionWith(desired.Streams.Values.Where(d => d.Preload).Select(d => d.Name));
        return names;
    }

    /// <summary>Every watched camera's watched stream, whatever go2rtc's version.</summary>
    public static HashSet<string> Watched(DesiredStreams desired) =>
        desired.Streams.Values.Where(d => d.Watch && WatchedName(desired, d.Camera) == d.Name).Select(d => d.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The stream whose bytes tell whether a camera is alive: its _sub when it has one.</summary>
    public static string WatchedName(DesiredStreams desired, string camera) =>
        desired.Streams.ContainsKey(SourceBuilder.SubName(camera)) ? SourceBuilder.SubName(camera) : camera;
}
