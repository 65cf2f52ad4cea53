using System.Globalization;

namespace LightNvr.Health;

/// <summary>
/// One reading of go2rtc's resources: VmRSS in bytes and utime+stime in clock ticks from
/// <c>/proc/PID/stat</c>. <see cref="Pid"/> tells runs apart: a new process starts a new series.
/// </summary>
public sealed record ResourceSample(DateTimeOffset At, int Pid, long RssBytes, long CpuTicks);

/// <summary>The series so far: the last sample and since when each limit has been exceeded without a break.</summary>
public sealed record ResourceWatchState(ResourceSample? Last, DateTimeOffset? RssOverSince, DateTimeOffset? CpuHighSince)
{
    public static readonly ResourceWatchState Empty = new(null, null, null);
}

/// <param name="RssLimitBytes">Default 40 % of MemTotal (<see cref="ResourceWatch.DefaultRssLimit"/>): go2rtc has been
/// seen to grow to gigabytes over days; restarting it beats the kernel's OOM killer picking the recorder.</param>
/// <param name="TicksPerSecond">sysconf(_SC_CLK_TCK), 100 on every Linux the appliance runs on.</param>
public sealed record ResourceOptions(long RssLimitBytes, TimeSpan RssFor, double CpuWarnPercent, TimeSpan CpuFor, long TicksPerSecond = 100)
{
    public static ResourceOptions ForMemTotal(long memTotalBytes) =>
        new(ResourceWatch.DefaultRssLimit(memTotalBytes), TimeSpan.FromSeconds(60), 90, TimeSpan.FromMinutes(5));
}

/// <param name="CpuPercent">Percent of one core since the previous sample; null for the first sample of a run.</param>
/// <param name="CpuWarning">Reported only: a busy go2rtc (transcoding, many viewers) is not a broken one.</param>
public sealed record ResourceVerdict(bool RestartForMemory, bool CpuWarning, long RssBytes, double? CpuPercent)
{
    public static readonly ResourceVerdict Nothing = new(false, false, 0, null);
}

public static class ResourceWatch
{
    public static long DefaultRssLimit(long memTotalBytes) => memTotalBytes / 100 * 40;

    public static (ResourceWatchState State, ResourceVerdict Verdict) Next(ResourceWatchState state, ResourceSample sample, ResourceOptions options)
    {
        // A new process (or a clock or counter going backwards) cannot be compared with the old one.
        var last = state.Last is { } l && l.Pid == sample.Pid && sample.At > l.At && sample.CpuTicks >= l.CpuTicks ? l : null;
        if (last is null) state = ResourceWatchState.Empty;

        var rssOverSince = sample.RssBytes > options.RssLimitBytes ? state.RssOverSince ?? sample.At : (DateTimeOffset?)null;
        double? cpu = last is null ? null : CpuPercent(last.CpuTicks, sample.CpuTicks, options.TicksPerSecond, sample.At - last.At);
        // "High since" starts at the previous sample: the percentage is an average over the interval.
        var cpuHighSince = cpu > options.CpuWarnPercent ? state.CpuHighSince ?? last!.At : (DateTimeOffset?)null;

        var verdict = new ResourceVerdict(
            rssOverSince is { } r && sample.At - r >= options.RssFor,
            cpuHighSince is { } c && sample.At - c >= options.CpuFor,
            sample.RssBytes,
            cpu);
        return (new ResourceWatchState(sample, rssOverSince, cpuHighSince), verdict);
    }

    /// <summary>CPU time used between two samples as a percentage of one core (can exceed 100 on several cores).</summary>
    public static double CpuPercent(long ticksBefore, long ticksAfter, long ticksPerSecond, TimeSpan elapsed)
    {
        if (elapsed <= TimeSpan.Zero || ticksPerSecond <= 0 || ticksAfter < ticksBefore) return 0;
        return (ticksAfter - ticksBefore) / (double)ticksPerSecond / elapsed.TotalSeconds * 100;
    }

    /// <summary>MemTotal from the text of <c>/proc/meminfo</c>, in bytes (the kernel writes kB, meaning KiB).</summary>
    public static long? ParseMemTotal(string meminfo)
    {
        foreach (var line in meminfo.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var rest = line["MemTotal:".Length..].Trim();
            var unitAt = rest.IndexOf(' ');
            var number = unitAt < 0 ? rest : rest[..unitAt];
            var unit = unitAt < 0 ? "" : rest[(unitAt + 1)..].Trim();
            if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
            return unit switch
            {
                "kB" => value * 1024,
                "" => value,
                _ => null,
            };
        }
        return null;
    }
}
