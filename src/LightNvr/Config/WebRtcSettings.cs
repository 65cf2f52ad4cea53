using System.Net;
using YamlDotNet.Serialization;

namespace LightNvr.Config;

/// <summary>
/// <c>go2rtc.webrtc</c>: what the browser and go2rtc need to find each other. Passed into the
/// generated go2rtc config as go2rtc's own <c>webrtc:</c> keys, plus our offer deadline.
/// </summary>
[YamlSerializable]
public sealed class WebRtcSettings
{
    /// <summary>None by default: an offline LAN appliance must not wait on public STUN.</summary>
    public List<IceServer> IceServers { get; set; } = [];
    /// <summary>Extra candidates go2rtc adds to every answer ("192.168.1.10:8555", "stun:8555").</summary>
    public List<string> Candidates { get; set; } = [];
    /// <summary>go2rtc's filters for the candidates it gathers; unset keys keep go2rtc's defaults.</summary>
    public WebRtcFilters Filters { get; set; } = new();
    /// <summary>How long an offer may wait for go2rtc's answer before the browser is told 504.</summary>
    public int OfferTimeoutMs { get; set; } = 10_000;
}

[YamlSerializable]
public sealed class WebRtcFilters
{
    /// <summary>Only these candidates (go2rtc's "filters.candidates").</summary>
    public List<string>? Candidates { get; set; }
    public List<string>? Interfaces { get; set; }
    /// <summary>Only candidates on these addresses.</summary>
    public List<string>? Ips { get; set; }
    /// <summary>udp4, udp6, tcp4, tcp6.</summary>
    public List<string>? Networks { get; set; }
    /// <summary>[first, last] port of the random UDP range.</summary>
    public List<int>? UdpPorts { get; set; }
    /// <summary>Offer 127.0.0.1/::1 candidates too (go2rtc's default: no).</summary>
    public bool? Loopback { get; set; }

    public bool IsEmpty => Candidates is null && Interfaces is null && Ips is null && Networks is null && UdpPorts is null && Loopback is null;
}

/// <summary>The meaning checks of <c>go2rtc.webrtc</c> (pure; called from <see cref="ConfigRules"/>).</summary>
public static class WebRtcRules
{
    private static readonly string[] Networks = ["udp4", "udp6", "tcp4", "tcp6"];

    public static void Check(WebRtcSettings w, Action<string, string> fail)
    {
        const string at = "go2rtc.webrtc";
        for (var i = 0; i < w.Candidates.Count; i++)
            if (CandidateProblem(w.Candidates[i]) is { } problem) fail($"{at}.candidates[{i}]", problem);
        Duplicates($"{at}.candidates", w.Candidates, fail);

        for (var i = 0; i < w.IceServers.Count; i++)
        {
            var server = w.IceServers[i];
            var path = $"{at}.ice_servers[{i}].urls";
            if (server.Urls.Count == 0) fail(path, "expected at least one stun:, turn: or turns: URL, found none");
            for (var k = 0; k < server.Urls.Count; k++)
            {
                var url = server.Urls[k];
                if (!(url.StartsWith("stun:") || url.StartsWith("turn:") || url.StartsWith("turns:")))
                    fail($"{path}[{k}]", $"expected a stun:, turn: or turns: URL, found '{url}'");
            }
        }
        Duplicates($"{at}.ice_servers", w.IceServers.SelectMany(s => s.Urls).ToList(), fail);

        var f = w.Filters;
        for (var i = 0; i < (f.Ips?.Count ?? 0); i++)
            if (!IPAddress.TryParse(f.Ips![i], out _)) fail($"{at}.filters.ips[{i}]", $"expected an IP address, found '{f.Ips[i]}'");
        for (var i = 0; i < (f.Networks?.Count ?? 0); i++)
            if (!Networks.Contains(f.Networks![i]))
                fail($"{at}.filters.networks[{i}]", $"expected one of {string.Join(", ", Networks)}, found '{f.Networks[i]}'");
        if (f.UdpPorts is { } range)
        {
            if (range.Count != 2) fail($"{at}.filters.udp_ports", $"expected [first, last], found {range.Count} number(s)");
            else if (range[0] < 1 || range[1] > 65535 || range[0] > range[1])
                fail($"{at}.filters.udp_ports", $"expected two ports 1-65535 with first <= last, found [{range[0]}, {range[1]}]");
        }
        if (w.OfferTimeoutMs is < 1000 or > 60_000)
            fail($"{at}.offer_timeout_ms", $"expected 1000-60000 ms, found {w.OfferTimeoutMs}");
    }

    /// <summary>go2rtc's manual candidate forms: "IP:port", "host.name:port", "stun:port".</summary>
    public static string? CandidateProblem(string candidate)
    {
        var colon = candidate.LastIndexOf(':');
        var host = colon > 0 ? candidate[..colon].Trim('[', ']') : "";
        var port = colon > 0 ? candidate[(colon + 1)..] : "";
        if (host.Length == 0 || !int.TryParse(port, out var p) || p is < 1 or > 65535)
            return $"expected host:port such as 192.168.1.10:8555 or stun:8555, found '{candidate}'";
        if (host != "stun" && !IPAddress.TryParse(host, out _) && Uri.CheckHostName(host) != UriHostNameType.Dns)
            return $"expected an IP address or host name before the port, found '{host}'";
        return null;
    }

    private static void Duplicates(string path, List<string> values, Action<string, string> fail)
    {
        foreach (var dup in values.GroupBy(v => v).Where(g => g.Count() > 1))
            fail(path, $"'{dup.Key}' is listed {dup.Count()} times; each entry must be unique");
    }
}
