using System.Text.Json;

namespace LightNvr.Detection;

/// <summary>
/// Reads a light-object-detect answer: <c>{"detections":[{"label","confidence","bounding_box":{x_min,…}}]}</c>,
/// or the flat form with <c>x_min</c>… on the detection itself. Coordinates may be normalized (0..1) or
/// pixels; pixels are turned into fractions of the JPEG's size. Pure.
/// </summary>
public static class DetectorReply
{
    private static readonly string[] Corners = ["x_min", "y_min", "x_max", "y_max"];

    public sealed record Parsed(IReadOnlyList<Detection>? Detections, string? Error);

    /// <summary>A detection as the detector wrote it: corners x_min, y_min, x_max, y_max in its own units.</summary>
    public sealed record Raw(string Label, double Confidence, double[] Corners);

    public static Parsed Parse(string json, int width, int height)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { return Bad($"not JSON ({e.Message.Split('.')[0]})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("detections", out var list))
                return Bad("expected an object with a \"detections\" list");
            if (list.ValueKind == JsonValueKind.Null) return new([], null);
            if (list.ValueKind != JsonValueKind.Array) return Bad("\"detections\" is not a list");
            var raw = new List<Raw>();
            var i = 0;
            foreach (var d in list.EnumerateArray())
            {
                var at = $"detections[{i++}]";
                if (d.ValueKind != JsonValueKind.Object) return Bad($"{at} is not an object");
                if (!d.TryGetProperty("label", out var label) || label.ValueKind != JsonValueKind.String || label.GetString() is not { Length: > 0 } name)
                    return Bad($"{at}.label is missing");
                if (!d.TryGetProperty("confidence", out var c) || c.ValueKind != JsonValueKind.Number)
                    return Bad($"{at}.confidence is missing");
                var box = d.TryGetProperty("bounding_box", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : d;
                var corners = new double[4];
                for (var k = 0; k < 4; k++)
                {
                    if (!box.TryGetProperty(Corners[k], out var v) || v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
                        return Bad($"{at}: {Corners[k]} is missing");
                    corners[k] = v.GetDouble();
                }
                raw.Add(new Raw(name, c.GetDouble(), corners));
            }
            return Normalize(raw, width, height);
        }
    }

    /// <summary>
    /// One reading for the whole answer: any coordinate above 1 means the detector answered in pixels
    /// (a normalized box never exceeds 1, and mixing both in one answer makes no sense).
    /// </summary>
    public static Parsed Normalize(IReadOnlyList<Raw> raw, int width, int height)
    {
        var pixels = false;
        foreach (var r in raw)
            foreach (var v in r.Corners)
                pixels |= v > 1.0;
        if (pixels && (width <= 0 || height <= 0)) return Bad("pixel coordinates, but the frame's size is unknown");
        var result = new List<Detection>(raw.Count);
        foreach (var (label, confidence, c) in raw)
        {
            double X(double v) => Clamp(pixels ? v / width : v);
            double Y(double v) => Clamp(pixels ? v / height : v);
            var (x0, x1) = (X(c[0]), X(c[2]));
            var (y0, y1) = (Y(c[1]), Y(c[3]));
            result.Add(new Detection(label, confidence, new Box(Math.Min(x0, x1), Math.Min(y0, y1), Math.Max(x0, x1), Math.Max(y0, y1))));
        }
        return new(result, null);
    }

    private static double Clamp(double v) => Math.Round(Math.Clamp(v, 0, 1), 4);

    private static Parsed Bad(string why) => new(null, "malformed answer: " + why);
}
