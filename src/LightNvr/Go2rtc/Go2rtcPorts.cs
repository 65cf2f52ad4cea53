using System.Text.RegularExpressions;

namespace LightNvr.Go2rtc;

/// <summary>
/// go2rtc's ports: free before a spawn (an old go2rtc may take a moment to let go of them), and when one
/// is held, by whom, in words.
/// </summary>
internal sealed partial class Go2rtcPorts(SupervisorContext context)
{
    private (string Name, int Port, bool Udp)[] Ports =>
    [
        ("API", context.Settings.ApiPort, false), ("RTSP", context.Settings.RtspPort, false),
        ("WebRTC", context.Settings.WebrtcPort, false), ("WebRTC", context.Settings.WebrtcPort, true),
    ];

    private bool Busy((string Name, int Port, bool Udp) p) => p.Udp ? context.Os.IsUdpPortBound(p.Port) : context.Os.IsTcpPortListening(p.Port);

    /// <summary>Waits until no port of go2rtc's is held, up to the supervisor's deadline.</summary>
    public async Task WaitFreeAsync(CancellationToken stop)
    {
        var start = context.Clock.GetTimestamp();
        while (Ports.Any(Busy) && context.Clock.GetElapsedTime(start) < context.Options.PortFreeDeadline)
            await Task.Delay(TimeSpan.FromMilliseconds(10), context.Clock, stop);
    }

    /// <summary>Before a spawn: a port still held by someone is a conflict, named with its owner; null when all are free.</summary>
    public async Task<string?> ConflictAsync(CancellationToken stop)
    {
        await WaitFreeAsync(stop);
        foreach (var p in Ports.Where(Busy))
            return $"go2rtc's {p.Name} port {p.Port}/{(p.Udp ? "udp" : "tcp")} is in use by {OwnerOf(p.Port, p.Udp)}";
        return null;
    }

    /// <summary>go2rtc's own listen error, with the owner of the port it names.</summary>
    public string ListenFailure(string listenError)
    {
        var port = BindPort().Match(listenError) is { Success: true } m ? int.Parse(m.Groups[1].Value) : 0;
        var owner = port > 0 ? $": port {port} is in use by {OwnerOf(port)}" : "";
        return $"go2rtc could not listen{owner} ({listenError})";
    }

    public bool ApiOwnedBy(int pid) => context.Os.OwnsListeningTcpPort(pid, context.Settings.ApiPort);

    public string OwnerOf(int port, bool udp = false)
    {
        var pid = udp ? null : context.Os.ListeningTcpPortOwner(port);
        return pid is { } p ? $"PID {p} ({context.Os.Comm(p) ?? "?"})" : "another process";
    }

    [GeneratedRegex(@":(\d+): bind")]
    private static partial Regex BindPort();
}
