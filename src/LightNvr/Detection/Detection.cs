namespace LightNvr.Detection;

/// <summary>A box in normalized coordinates: 0..1 of the frame's width and height, origin top left.</summary>
public sealed record Box(double XMin, double YMin, double XMax, double YMax);

/// <summary>One object the detector saw.</summary>
public sealed record Detection(string Label, double Confidence, Box Box);

/// <summary>A detection worth remembering: a label of interest above the threshold, on one stream.</summary>
public sealed record DetectionEvent(DateTimeOffset Time, string Stream, string Label, double Confidence, Box Box);

/// <summary>The detector's health for one camera, as the API words it.</summary>
public enum DetectorHealth { Off, Ok, Failing }

/// <summary>Per camera: what the feed knows now. Immutable; the feed swaps in a new one.</summary>
public sealed record CameraDetection(
    DetectorHealth Health, string? Error, DateTimeOffset? At, IReadOnlyList<Detection> Detections,
    int Failures, DateTimeOffset? BackoffUntil)
{
    public static readonly CameraDetection Off = new(DetectorHealth.Off, null, null, [], 0, null);
}
