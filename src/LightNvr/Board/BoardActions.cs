using System.Net.NetworkInformation;
using System.Net.Sockets;
using LightNvr.Auth;
using LightNvr.Board.Console;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Logging;
using LightNvr.Status;

namespace LightNvr.Board;

/// <summary>What the reset button and the maintenance console do to the appliance: the one place they reach into it.</summary>
public sealed class BoardActions(LoadedConfig loaded, IGo2rtc go2rtc, ApplianceStateOwner appliance, StatusService status, RecentLog recent,
    PasswordStore password, BoardState board, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<BoardActions> log) : IMaintenanceActions
{
    public async Task<string> RestartGo2rtcAsync(RestartReason reason)
    {
        var why = reason == RestartReason.Console ? "restart typed on the maintenance console" : "the reset button was pressed";
        var g = appliance.Current.Go2rtc;
        if (g.Phase is Go2rtcPhase.Disabled or Go2rtcPhase.NotBuilt) return $"go2rtc is not running in this appliance ({g.Message})";
        var ready = await go2rtc.RequestRestart(reason, why);
        var s = appliance.Current.Go2rtc;
        return ready ? $"go2rtc restarted (pid {s.Pid})" : $"go2rtc did not come back: {s.Message}";
    }

    public string FactoryReset(string by)
    {
        var backup = Board.FactoryReset.Run(loaded.Path, loaded.Config, clock.GetUtcNow());
        log.LogWarning("factory reset by {By}: the configuration and the password are in {Backup}; restarting with defaults", by, backup);
        // A fresh process reads the new defaults like a first boot; systemd (Restart=always) starts it again.
        Environment.ExitCode = Board.FactoryReset.RestartExitCode;
        lifetime.StopApplication();
        return $"done; the previous files are in {backup}. Restarting with defaults.";
    }

    public IReadOnlyList<string> Status()
    {
        var s = status.Current(logLines: 0);
        var h = s.Health;
        var view = BoardView.From(h, loaded.Errors.Count, password.Exists, board);
        var live = h.Streams.Count(x => x.State == Liveness.Live);
        return
        [
            $"LightNVR {s.Version}, up {TimeSpan.FromSeconds(Math.Floor(s.UptimeSeconds)):c}",
            $"go2rtc: {s.Go2rtc.Status.Phase.ToString().ToLowerInvariant()}{(s.Go2rtc.Status.Pid is { } pid ? $" (pid {pid})" : "")}: {s.Go2rtc.Status.Message}",
            $"cameras: {live}/{h.Streams.Count} live; {h.Restarts.Count} go2rtc restarts",
            $"config: {(s.Config.Valid ? "valid" : $"{s.Config.Errors.Count} error(s){(s.Config.UsingLastGood ? ", running on the last valid copy" : "")}")} ({s.Config.Path})",
            // Worded without "password:" so the redactor, which hides such values, leaves the line readable.
            $"sign-in: {(password.Exists ? "admin password set" : "no admin password yet (open the status page, or type passwd)")}",
            $"LED: {view.Led}: {view.Meaning} [{view.LedDevice}]",
            $"reset button: {view.Button}; last: {view.LastButtonPress}",
            $"console: {view.Console}",
        ];
    }

    public IReadOnlyList<string> Streams()
    {
        var streams = appliance.Current.Health.Streams;
        if (streams.Count == 0) return ["No cameras are watched (add one on the status page)."];
        return [.. streams.Select(x => $"{x.Name,-24} {x.State.ToString().ToLowerInvariant(),-9} {x.BytesPerSecond * 8 / 1000,8:0} kbit/s  {x.Consumers} viewers{(x.Why is { } why ? "  " + why : "")}")];
    }

    public IReadOnlyList<string> Log(int lines)
    {
        var all = recent.Lines;
        return [.. all.Skip(Math.Max(0, all.Count - lines)).Select(Redactor.Redact)];
    }

    public IReadOnlyList<string> Addresses()
    {
        var port = loaded.Config.Web.Port;
        var lines = new List<string>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback || nic.OperationalStatus == OperationalStatus.Down) continue;
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                var ip = a.Address;
                if (ip.AddressFamily == AddressFamily.InterNetwork) lines.Add($"{nic.Name,-10} {ip}  http://{ip}:{port}/");
                else if (ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.IsIPv6LinkLocal) lines.Add($"{nic.Name,-10} {ip}  http://[{ip}]:{port}/");
            }
        }
        return lines.Count > 0 ? lines : ["No network address yet (is the cable in?)."];
    }

    public string? SetPassword(string newPassword)
    {
        var refused = password.Set(newPassword);
        log.LogInformation(refused is null ? "admin password set on the maintenance console" : "a password typed on the maintenance console was refused");
        return refused;
    }
}
