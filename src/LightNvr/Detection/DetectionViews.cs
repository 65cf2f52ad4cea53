namespace LightNvr.Detection;

// The JSON shapes. DetectionsView is a contract the status page draws from: keep its fields.

/// <summary><c>GET /api/streams/{name}/detections</c>.</summary>
public sealed record DetectionsView(string Stream, DateTimeOffset? At, string Detector, string? Error, IReadOnlyList<DetectionView> Detections)
{
    public static DetectionsView Of(string stream, CameraDetection s) => new(stream, s.At, Word(s.Health), s.Error,
        s.Detections.Select(d => new DetectionView(d.Label, d.Confidence, d.Box)).ToList());

    public static string Word(DetectorHealth h) => h switch { DetectorHealth.Ok => "ok", DetectorHealth.Failing => "failing", _ => "off" };
}

public sealed record DetectionView(string Label, double Confidence, Box Box);

/// <summary>One entry of <c>GET /api/events</c> and of a webhook call.</summary>
public sealed record EventView(DateTimeOffset Time, string Stream, string Label, double Confidence, Box Box)
{
    public static EventView Of(DetectionEvent e) => new(e.Time, e.Stream, e.Label, e.Confidence, e.Box);
}

public sealed record EventsView(IReadOnlyList<EventView> Events);

/// <summary>The webhook body: the detections of interest in one frame.</summary>
public sealed record WebhookPayload(string Stream, DateTimeOffset Time, IReadOnlyList<EventView> Events);
