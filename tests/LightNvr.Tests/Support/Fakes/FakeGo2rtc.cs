using LightNvr.Go2rtc;
using LightNvr.Hosting;

namespace LightNvr.Tests.Support.Fakes;

/// <summary>go2rtc as the health loop and the stream sync see it, under the test's control: a status to publish, restarts recorded.</summary>
internal sealed class FakeGo2rtc : IGo2rtc
{
    private readonly Published<Go2rtcStatus> _status;
    private readonly List<RestartReason> _restarts = [];

    public FakeGo2rtc(Go2rtcStatus? status = null) =>
        _status = new Published<Go2rtcStatus>(status ?? Ready(generation: 1));

    /// <summary>A ready go2rtc 1.9.14 whose pid is no process (its /proc figures read as none).</summary>
    public static Go2rtcStatus Ready(int generation) => new()
    {
        Phase = Go2rtcPhase.Ready, Version = "1.9.14", Pid = int.MaxValue - 7, Generation = generation,
        ReadyAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    public Go2rtcStatus Status => _status.Current;
    public Task StatusChanged => _status.Changed;
    public RestartLedger Ledger { get; } = new(RestartBudgetOptions.Default);

    public void Publish(Go2rtcStatus status) => _status.Publish(status);

    public IReadOnlyList<RestartReason> Restarts { get { lock (_restarts) return [.. _restarts]; } }

    public Task<bool> RequestRestart(RestartReason reason, string why = "")
    {
        lock (_restarts) _restarts.Add(reason);
        return Task.FromResult(true);
    }
}
