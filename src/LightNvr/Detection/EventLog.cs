namespace LightNvr.Detection;

/// <summary>The last N detection events, newest first; older ones fall off (memory stays bounded on a Pi).</summary>
public sealed class EventLog(int capacity = EventLog.DefaultCapacity)
{
    public const int DefaultCapacity = 500;

    private readonly Lock _gate = new();
    private readonly LinkedList<DetectionEvent> _events = new();

    public void Add(IEnumerable<DetectionEvent> events)
    {
        lock (_gate)
            foreach (var e in events)
            {
                _events.AddFirst(e);
                if (_events.Count > capacity) _events.RemoveLast();
            }
    }

    public List<DetectionEvent> Newest(int limit)
    {
        lock (_gate) return _events.Take(Math.Max(0, limit)).ToList();
    }
}
