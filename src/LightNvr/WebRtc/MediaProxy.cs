using System.Text;
using Yarp.ReverseProxy.Forwarder;
using LightNvr.Go2rtc;

namespace LightNvr.WebRtc;

/// <summary>
/// The fallbacks for networks where WebRTC cannot connect, read-only through our endpoint: go2rtc's
/// fragmented MP4 stream (the player's MSE path) and its HLS (browsers without MSE). Exactly go2rtc's
/// paths are reachable, under the same /api/ prefix so go2rtc's relative playlist URLs
/// (<c>hls/playlist.m3u8?id=</c>, <c>segment.ts?id=&amp;n=</c>) resolve back to us without rewriting;
/// only the query keys go2rtc reads pass; bodies stream through (never buffered); no header of the
/// viewer's reaches go2rtc (cookies, credentials), and only the media headers come back. The
/// forwarding itself is YARP's <see cref="IHttpForwarder"/> (trim/AOT clean).
/// </summary>
public static class MediaProxy
{
    /// <summary>
    /// Our path → the query keys go2rtc reads there. A live viewer has no use for stream.mp4's
    /// <c>duration</c> or <c>filename</c>, so they do not pass.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Paths = new Dictionary<string, string[]>
    {
        ["/api/stream.mp4"] = ["src"],
        ["/api/stream.m3u8"] = ["src", "mp4"],
        ["/api/hls/playlist.m3u8"] = ["id"],
        ["/api/hls/segment.ts"] = ["id", "n"],
        ["/api/hls/init.mp4"] = ["id"],
        ["/api/hls/segment.m4s"] = ["id", "n"],
    };

    /// <summary>Response headers worth passing back; everything else is go2rtc's business.</summary>
    private static readonly string[] Passed = ["Content-Type", "Cache-Control", "Expires", "Last-Modified", "ETag"];

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

    /// <summary>The paths that open a consumer on a named stream: the name must be one of ours.</summary>
    private static bool NamesAStream(string path) => Paths[path].Contains("src");

    public static IEndpointRouteBuilder MapMediaFallbacks(this IEndpointRouteBuilder app)
    {
        foreach (var path in Paths.Keys)
            app.MapMethods(path, ["GET", "HEAD"], (HttpContext http, IGo2rtc go2rtc, Go2rtcApi api, KnownStreams streams,
                Go2rtcMediaClient client, IHttpForwarder forwarder) => Forward(http, path, go2rtc, api, streams, client, forwarder));
        return app;
    }

    /// <summary>A stalled go2rtc must not hold a viewer's request forever.</summary>
    private static readonly ForwarderRequestConfig Timing = new() { ActivityTimeout = TimeSpan.FromSeconds(30) };

    private static async Task Forward(HttpContext http, string path, IGo2rtc go2rtc, Go2rtcApi api, KnownStreams streams,
        Go2rtcMediaClient client, IHttpForwarder forwarder)
    {
        if (NamesAStream(path))
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
        // YARP streams the body both ways (never buffered) and cuts the viewer's connection if go2rtc
        // goes away mid-body, so a short file never looks complete.
        var error = await forwarder.SendAsync(http, api.BaseUrl.TrimEnd('/'), client.Invoker, Timing,
            new OnlyMediaHeaders(Target(path, http.Request.Query)));
        if (error != ForwarderError.None && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            await Results.Problem(statusCode: 502, title: "go2rtc-error", detail: "go2rtc's media did not answer").ExecuteAsync(http);
    }

    /// <summary>
    /// The request carries none of the viewer's headers (cookies, credentials) and exactly our allowed
    /// path and query; the response passes back only the media headers.
    /// </summary>
    private sealed class OnlyMediaHeaders(string pathAndQuery) : HttpTransformer
    {
        public override ValueTask TransformRequestAsync(HttpContext http, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellationToken)
        {
            proxyRequest.RequestUri = new Uri(destinationPrefix + pathAndQuery);
            proxyRequest.Headers.Host = null;
            return ValueTask.CompletedTask;
        }

        public override ValueTask<bool> TransformResponseAsync(HttpContext http, HttpResponseMessage? proxyResponse,
            CancellationToken cancellationToken)
        {
            if (proxyResponse is null) return ValueTask.FromResult(false);
            foreach (var name in Passed)
                if (proxyResponse.Content.Headers.TryGetValues(name, out var v) || proxyResponse.Headers.TryGetValues(name, out v))
                    http.Response.Headers[name] = v.ToArray();
            if (proxyResponse.Content.Headers.ContentLength is { } length) http.Response.ContentLength = length;
            return ValueTask.FromResult(true);
        }
    }
}
