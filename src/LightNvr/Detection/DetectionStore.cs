using System.Collections.Concurrent;

namespace LightNvr.Detection;

/// <summary>What the feed publishes and the endpoints read: the state per camera, the event history, the counters.</summary>
public sealed class DetectionStore
{
    private readonly ConcurrentDictionary<string, CameraDetection> _cameras = new(StringComparer.Ordinal);

    public EventLog Events { get; } = new();
    public DetectionCounters Counters { get; } = new();

    public CameraDetection Of(string stream) => _cameras.GetValueOrDefault(stream) ?? CameraDetection.Off;

    public void Set(string stream, CameraDetection state) => _cameras[stream] = state;

    public void Remove(string stream) => _cameras.TryRemove(stream, out _);
}
