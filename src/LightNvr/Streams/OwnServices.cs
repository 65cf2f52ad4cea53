using System.Net;

namespace LightNvr.Streams;

/// <summary>
/// The appliance's own services, which no camera source or detector URL may point at: go2rtc's API
/// (its GetOrPatch builds a temporary stream from a <c>src</c> query, a way around the exec:/#raw
/// rules), our own web endpoint, and go2rtc's WebRTC port (it speaks ICE/DTLS, never a camera
/// protocol). go2rtc's RTSP port stays allowed: <c>rtsp://127.0.0.1:8554/other</c> is its restream.
/// Other loopback ports stay allowed too: a camera helper on the box itself is a real setup.
/// </summary>
/// <param name="Ports">The refused ports on any address of this machine; read when a URL is checked
/// (the web port may be chosen by the OS at start).</param>
public sealed class OwnServices(Func<IReadOnlyCollection<int>> ports, IReadOnlyCollection<string> hostNames)
{
    /// <summary>No own services (pure rule tests, tools that check a file alone).</summary>
    public static readonly OwnServices None = new(() => [], []);

    public IReadOnlyCollection<int> Ports => ports();

    /// <summary>Why <paramref name="host"/>:<paramref name="port"/> is one of our own services, or null.</summary>
    /// <param name="host">As written in the URL, without brackets.</param>
    /// <param name="port">The port written in the URL, or null for the scheme's default.</param>
    public string? Problem(string scheme, string host, int? port)
    {
        var effective = port ?? DefaultPort(scheme);
        if (effective is not { } p || !Ports.Contains(p) || !IsThisMachine(host)) return null;
        return $"points at this appliance's own service on port {p} (go2rtc's API, the web endpoint or the WebRTC port); " +
               "a camera is never this box itself (go2rtc's own RTSP restream on its rtsp_port is allowed)";
    }

    /// <summary>Every way to write an address of this machine: loopback in any form the resolver takes, the unspecified address, our names.</summary>
    public bool IsThisMachine(string host)
    {
        var h = host.TrimEnd('.').ToLowerInvariant();
        if (h == "localhost" || h.EndsWith(".localhost", StringComparison.Ordinal)) return true;
        if (hostNames.Any(n => string.Equals(n.TrimEnd('.'), h, StringComparison.OrdinalIgnoreCase))) return true;
        // IPAddress.TryParse takes what the C resolver (ffmpeg, go2rtc's cgo resolver) takes: 127.1, 2130706433, 0x7f000001.
        if (!IPAddress.TryParse(h, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
    }

    public static int? DefaultPort(string scheme) => scheme switch
    {
        "http" or "onvif" => 80, "https" => 443, "rtsp" or "rtspx" => 554, "rtsps" => 322, "rtmp" => 1935, _ => null,
    };

    /// <summary>The machine's own names: its hostname and hostname.local (mDNS).</summary>
    public static IReadOnlyList<string> MachineNames()
    {
        var name = Environment.MachineName;
        return string.IsNullOrEmpty(name) ? [] : [name, name + ".local"];
    }
}
