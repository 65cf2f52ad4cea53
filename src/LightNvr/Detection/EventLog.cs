namespace LightNvr.Detection;

/// <summary>The last N detection events, newest first; older ones fall off (memory stays bounded on a Pi).</summary>
public sealed class EventLog(int capacity = EventLog.DefaultCapacity)
{
    public const int DefaultCapacity = 500;

    private readonly Lock _gate = new();
    private readonly List<DetectionEvent> _events = []; // newest first; 500 entries make Insert(0) cheap enough

    public void Add(IEnumerable<DetectionEvent> events)
    {
        lock (_gate)
            foreach (var e in events)
            {
                _events.Insert(0, e);
                if (_events.Count > capacity) _events.RemoveAt(_events.Count - 1);
            }
    }

    public List<DetectionEvent> Newest(int limit)
    {
        lock (_gate) return _events.Take(Math.Max(0, limit)).ToList();
    }
}
