using System.Net;
using System.Text;
using LightNvr.Go2rtc;
using LightNvr.Limits;
using LightNvr.Streams;
using Yarp.ReverseProxy.Forwarder;

namespace LightNvr.Door;

/// <summary>
/// The advanced door: /go2rtc/… on our endpoint forwarded to go2rtc's own UI and API, which runs under the
/// same base path while the door is open, so nothing but the admin check, the rules and the rate limit
/// stands between the two (no rewriting of pages, links or bodies). WebSockets (<c>/go2rtc/api/ws</c>) go
/// through as upgrades; the viewer's cookie and credentials never reach go2rtc.
/// </summary>
public sealed class DoorProxy(IGo2rtc go2rtc, Go2rtcApi api, IHttpForwarder forwarder, StreamSync sync, CameraList cameras,
    OwnServices own, TimeProvider clock) : IDisposable
{
    /// <summary>
    /// Per client address: go2rtc's pages load a handful of files and poll its API every few seconds, so a
    /// person never comes near this; a script hammering go2rtc (one process, one API lock) through us does.
    /// </summary>
    public const int Permits = 120;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly SlidingWindowPerClient _requests = new(Permits, Window, clock);

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(1), PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    });

    /// <summary>A stalled go2rtc must not hold a request (or an idle WebSocket) forever.</summary>
    private static readonly ForwarderRequestConfig Timing = new() { ActivityTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// A stream call holds the gate our reconciler waits on: long enough for go2rtc's probe of a camera
    /// (5 s dial, 5 s per RTSP request), short enough that a dead camera probed by hand delays a reconcile pass only once.
    /// </summary>
    private static readonly ForwarderRequestConfig StreamTiming = new() { ActivityTimeout = TimeSpan.FromSeconds(10) };

    public async Task Handle(HttpContext http)
    {
        if (_requests.TryTake(http.Connection.RemoteIpAddress?.ToString() ?? "unknown") is { } wait)
        {
            var retry = SlidingWindowPerClient.Seconds(wait);
            http.Response.Headers.RetryAfter = retry;
            await Problem(http, 429, "too-many-requests",
                $"at most {Permits} requests per {Window.TotalSeconds:0} s from one address through /go2rtc/; retry in {retry} s");
            return;
        }
        var path = http.Request.Path.Value?[GeneratedConfig.DoorBasePath.Length..] ?? "";
        var query = http.Request.Query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))).ToList();
        if (DoorRules.Check(http.Request.Method, path, query, IsManaged, own) is { } refusal)
        {
            await Problem(http, refusal.Status, refusal.Title, refusal.Detail);
            return;
        }
        if (go2rtc.Status.Phase != Go2rtcPhase.Ready)
        {
            http.Response.Headers.RetryAfter = "2";
            await Problem(http, 503, "go2rtc-restarting", "go2rtc is not running right now");
            return;
        }
        var transformer = new DoorTransformer(http.Request.Path.ToUriComponent() + Query(query));
        // go2rtc's stream map is not safe for concurrent use: its stream calls wait their turn with ours.
        if (DoorRules.IsStreamPath(path))
        {
            if (!await api.ExclusiveAsync(() => Forward(http, transformer, StreamTiming), http.RequestAborted))
                await Problem(http, 503, "go2rtc-busy", "go2rtc's stream list is busy; try again");
        }
        else await Forward(http, transformer, Timing);
    }

    private async Task Forward(HttpContext http, DoorTransformer transformer, ForwarderRequestConfig timing)
    {
        var error = await forwarder.SendAsync(http, $"http://127.0.0.1:{api.Port}", _client, timing, transformer);
        if (error != ForwarderError.None && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            await Problem(http, 502, "go2rtc-error", $"go2rtc did not answer ({error})");
    }

    /// <summary>The names the camera list owns, enabled or not, with their sub streams.</summary>
    public bool IsManaged(string name) =>
        sync.Manages(name) || sync.Desired?.Managed.Contains(name) == true
        || cameras.Current.Cameras.Any(c => c.Name == name || SourceBuilder.SubName(c.Name) == name);

    /// <summary>The query re-encoded from the pairs the rules saw, so go2rtc reads exactly what was checked.</summary>
    public static string Query(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        if (pairs.Count == 0) return "";
        var b = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            b.Append(b.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key));
            if (value.Length > 0) b.Append('=').Append(Uri.EscapeDataString(value));
        }
        return b.ToString();
    }

    private static Task Problem(HttpContext http, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);

    public void Dispose() => _client.Dispose();
}
