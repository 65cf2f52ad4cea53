using LightNvr.Streams;

namespace LightNvr.WebRtc;

/// <summary>
/// Which names a viewer may ask for: go2rtc streams the camera list owns (enabled cameras and their
/// <c>_sub</c> streams). Anything else never reaches go2rtc, whose API would also accept a source
/// URL in <c>src=</c>.
/// </summary>
public sealed class KnownStreams(StreamSync sync, CameraList cameras)
{
    public bool Contains(string name)
    {
        if (sync.Desired is { } desired) return desired.Streams.ContainsKey(name);
        // Before go2rtc's first start there is no plan yet: the camera list decides (the offer then gets 503).
        foreach (var c in cameras.Current.Cameras)
            if (c.Enabled && (c.Name == name || (c.SubUrl is not null && c.Name + "_sub" == name))) return true;
        return false;
    }
}
