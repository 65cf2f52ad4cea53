namespace LightNvr.Detection;

/// <summary>The feed's decisions as plain functions: which detections count, when to try again, what was skipped.</summary>
public static class FeedRules
{
    /// <summary>At or above the threshold, and a label of interest (none listed = every label). Labels compare without case.</summary>
    public static List<Detection> OfInterest(IEnumerable<Detection> detections, double threshold, IReadOnlyCollection<string> labels) =>
        detections.Where(d => d.Confidence >= threshold
                              && (labels.Count == 0 || labels.Any(l => string.Equals(l, d.Label, StringComparison.OrdinalIgnoreCase))))
            .ToList();

    /// <summary>
    /// Wait after the n-th failure in a row: the interval (at least 1 s) doubled per failure, capped, so a
    /// dead detector costs one request per cap and a blip costs one interval.
    /// </summary>
    public static TimeSpan Backoff(int failures, TimeSpan interval, TimeSpan cap)
    {
        if (failures <= 0) return TimeSpan.Zero;
        var unit = interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : interval;
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(unit.Ticks * factor, cap.Ticks));
        return delay < cap ? delay : cap;
    }

    /// <summary>
    /// After a round that took <paramref name="elapsed"/>: ticks that fell inside it are skipped, not
    /// queued (a slow detector never gets a backlog), and the wait lands on the next tick.
    /// </summary>
    public static (TimeSpan Wait, int Skipped) AfterRound(TimeSpan elapsed, TimeSpan interval)
    {
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        if (elapsed < interval) return (interval - elapsed, 0);
        var skipped = (int)Math.Min(int.MaxValue, elapsed.Ticks / interval.Ticks);
        return (TimeSpan.FromTicks(interval.Ticks - elapsed.Ticks % interval.Ticks), skipped);
    }

    /// <summary><c>{url}?backend=onnx&amp;confidence_threshold={t}&amp;return_image=false</c>, keeping a query the URL already has.</summary>
    public static string RequestUrl(string url, double threshold) =>
        url + (url.Contains('?') ? '&' : '?') + "backend=onnx&confidence_threshold="
        + threshold.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "&return_image=false";
}
