namespace LightNvr.Go2rtc;

/// <summary>go2rtc as the rest of the appliance sees it: the supervisor's published status, its restart history, and the one command.</summary>
public interface IGo2rtc
{
    Go2rtcStatus Status { get; }

    /// <summary>Completes at the next status change (take it before reading <see cref="Status"/>).</summary>
    Task StatusChanged { get; }

    RestartLedger Ledger { get; }

    /// <summary>Stop and start go2rtc; true if it came back ready. Automatic reasons are subject to the restart budget.</summary>
    Task<bool> RequestRestart(RestartReason reason, string why = "");
}
