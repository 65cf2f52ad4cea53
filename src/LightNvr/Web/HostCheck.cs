using System.Net;
using System.Text.RegularExpressions;

namespace LightNvr.Web;

/// <summary>
/// DNS rebinding: a page from evil.example whose name is made to resolve to this box would otherwise
/// be same-origin with it. The appliance answers only Host values that are its own: IP literals,
/// <c>localhost</c>, the machine's hostname and <c>hostname.local</c>, and the names in
/// <c>web.hostnames</c>. Anything else gets 421 problem+json; <c>GET /healthz</c> stays open for
/// load balancers and probes that send whatever Host they were configured with.
/// </summary>
public sealed partial class HostCheck(IEnumerable<string> ownNames)
{
    private readonly HashSet<string> _names = new(ownNames.Select(Normal).Append("localhost"), StringComparer.Ordinal);

    /// <summary>True when <paramref name="host"/> (the Host header's host part, no port) names this appliance.</summary>
    public bool Allows(string? host)
    {
        if (string.IsNullOrEmpty(host)) return false;
        if (host.StartsWith('[') && host.EndsWith(']'))
            return IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        // Only the dotted-quad form: a browser always sends that, and "1234" or "0x7f.1" are not names anyone uses for us.
        if (DottedQuad().IsMatch(host)) return IPAddress.TryParse(host, out _);
        return _names.Contains(Normal(host));
    }

    public Task Invoke(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (Allows(request.Host.Host)) return next(http);
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path == "/healthz") return next(http);
        return Auth.AuthProblems.Write(http, StatusCodes.Status421MisdirectedRequest, "misdirected request",
            "this appliance answers only to its own addresses and names (an IP address, localhost, its hostname, hostname.local); " +
            "list other names it is reached by in web.hostnames in lightnvr.yaml");
    }

    private static string Normal(string name) => name.TrimEnd('.').ToLowerInvariant();

    [GeneratedRegex(@"\A[0-9]{1,3}(\.[0-9]{1,3}){3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DottedQuad();
}
