using System.Text;
using LightNvr.Go2rtc;
using Yarp.ReverseProxy.Forwarder;

namespace LightNvr.WebRtc;

/// <summary>
/// The fallback for networks where WebRTC cannot connect: go2rtc's HLS, read-only through our
/// endpoint. Exactly go2rtc's HLS paths are reachable, under the same /api/ prefix so go2rtc's
/// relative playlist URLs (<c>hls/playlist.m3u8?id=</c>, <c>segment.ts?id=&amp;n=</c>) resolve back
/// to us without rewriting; only the query keys go2rtc reads pass; bodies stream through YARP's
/// forwarder (never buffered); no cookie or credential of ours reaches go2rtc.
/// </summary>
public static class HlsProxy
{
    /// <summary>Our path → the query keys go2rtc reads there.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Paths = new Dictionary<string, string[]>
    {
        ["/api/stream.m3u8"] = ["src", "mp4"],
        ["/api/hls/playlist.m3u8"] = ["id"],
        ["/api/hls/segment.ts"] = ["id", "n"],
        ["/api/hls/init.mp4"] = ["id"],
        ["/api/hls/segment.m4s"] = ["id", "n"],
    };

    private static readonly ForwarderRequestConfig Request = new()
    {
        ActivityTimeout = TimeSpan.FromSeconds(30),
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>The go2rtc path and query for a request: only the allowed keys, each value re-encoded.</summary>
    public static string Target(string path, IQueryCollection query)
    {
        var b = new StringBuilder(path).Append('?');
        foreach (var key in Paths[path])
            foreach (var value in query[key])
            {
                if (b[^1] != '?') b.Append('&');
                b.Append(key);
                if (!string.IsNullOrEmpty(value)) b.Append('=').Append(Uri.EscapeDataString(value));
            }
        return b[^1] == '?' ? path : b.ToString();
    }

    public static IEndpointRouteBuilder MapHls(this IEndpointRouteBuilder app)
    {
        foreach (var path in Paths.Keys)
            app.MapMethods(path, ["GET", "HEAD"], (HttpContext http, IHttpForwarder forwarder, Go2rtcSupervisor go2rtc,
                KnownStreams streams, Go2rtcMediaClient client) => Forward(http, path, forwarder, go2rtc, streams, client));
        return app;
    }

    private static async Task Forward(HttpContext http, string path, IHttpForwarder forwarder, Go2rtcSupervisor go2rtc,
        KnownStreams streams, Go2rtcMediaClient client)
    {
        if (path == "/api/stream.m3u8")
        {
            var src = http.Request.Query["src"].ToString();
            if (src.Length == 0 || !streams.Contains(src))
            {
                await Results.Problem(statusCode: 404, title: "unknown-stream", detail: $"there is no stream named '{src}'").ExecuteAsync(http);
                return;
            }
        }
        if (go2rtc.Status.Phase != Go2rtcPhase.Ready)
        {
            http.Response.Headers.RetryAfter = "2";
            await Results.Problem(statusCode: 503, title: "go2rtc-restarting", detail: "go2rtc is not running right now").ExecuteAsync(http);
            return;
        }
        var error = await forwarder.SendAsync(http, go2rtc.Api.BaseUrl, client.Invoker, Request, new Exact(Target(path, http.Request.Query)));
        if (error != ForwarderError.None && !http.Response.HasStarted)
            await Results.Problem(statusCode: 502, title: "go2rtc-error", detail: $"go2rtc's HLS did not answer ({error})").ExecuteAsync(http);
    }

    /// <summary>Sends exactly the target we built; drops what belongs to our side of the connection.</summary>
    private sealed class Exact(string target) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext http, HttpRequestMessage proxy, string prefix, CancellationToken cancel)
        {
            await base.TransformRequestAsync(http, proxy, prefix, cancel);
            proxy.RequestUri = new Uri(prefix + target);
            proxy.Headers.Remove("Cookie");
            proxy.Headers.Remove("Authorization");
            proxy.Headers.Host = null;
        }
    }
}
