namespace LightNvr.Board;

/// <summary>Where in its cycle a pattern is: pure, so the player loop and its tests agree on every edge.</summary>
public static class LedTimeline
{
    /// <summary>Whether the LED is on at <paramref name="sinceStart"/> into the pattern, and how long it stays so.</summary>
    public static (bool On, TimeSpan Until) At(LedPattern pattern, TimeSpan sinceStart)
    {
        var ms = pattern.OnOffMs;
        long cycle = ms.Sum();
        var t = (long)sinceStart.TotalMilliseconds % cycle;
        for (var i = 0; i < ms.Count; i++)
        {
            if (t < ms[i]) return (i % 2 == 0, TimeSpan.FromMilliseconds(ms[i] - t));
            t -= ms[i];
        }
        return (false, TimeSpan.FromMilliseconds(cycle)); // unreachable for a pattern with a positive cycle
    }
}
