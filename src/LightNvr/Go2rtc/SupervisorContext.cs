using LightNvr.Config;
using LightNvr.Hosting;

namespace LightNvr.Go2rtc;

/// <summary>
/// What every part of the supervisor shares: go2rtc's settings, the supervisor's knobs, its log and
/// clock, the door to the operating system, go2rtc's own output, and the one published status.
/// </summary>
internal sealed class SupervisorContext(Go2rtcSettings settings, SupervisorOptions options, ILogger log, TimeProvider clock,
    IGo2rtcProcesses os, LogSink sink, Published<Go2rtcStatus> status)
{
    public Go2rtcSettings Settings { get; } = settings;
    public SupervisorOptions Options { get; } = options;
    public ILogger Log { get; } = log;
    public TimeProvider Clock { get; } = clock;
    public IGo2rtcProcesses Os { get; } = os;
    public LogSink Sink { get; } = sink;
    public Published<Go2rtcStatus> Published { get; } = status;

    public Go2rtcStatus Status => Published.Current;

    public Go2rtcStatus Publish(Func<Go2rtcStatus, Go2rtcStatus> change) => Published.Update(change);

    /// <summary>go2rtc's last words, to end a message with.</summary>
    public string LastLines()
    {
        var lines = Sink.Recent(3);
        return lines.Count == 0 ? "" : "; last output: " + string.Join(" | ", lines);
    }
}
