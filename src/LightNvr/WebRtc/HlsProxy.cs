using System.Text;
using LightNvr.Go2rtc;

namespace LightNvr.WebRtc;

/// <summary>
/// The fallback for networks where WebRTC cannot connect: go2rtc's HLS, read-only through our
/// endpoint. Exactly go2rtc's HLS paths are reachable, under the same /api/ prefix so go2rtc's
/// relative playlist URLs (<c>hls/playlist.m3u8?id=</c>, <c>segment.ts?id=&amp;n=</c>) resolve back
/// to us without rewriting; only the query keys go2rtc reads pass; bodies stream through (never
/// buffered); no header of the viewer's reaches go2rtc (cookies, credentials), and only the media
/// headers come back. A small forwarder rather than YARP: YARP's forwarder measured +0.45 MB and
/// pushed the arm64 binary over its 15 MB limit, for five GET routes.
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

    public static IEndpointRouteBuilder MapHls(this IEndpointRouteBuilder app)
    {
        foreach (var path in Paths.Keys)
            app.MapMethods(path, ["GET", "HEAD"], (HttpContext http, Go2rtcSupervisor go2rtc, KnownStreams streams,
                Go2rtcMediaClient client) => Forward(http, path, go2rtc, streams, client));
        return app;
    }

    private static async Task Forward(HttpContext http, string path, Go2rtcSupervisor go2rtc, KnownStreams streams,
        Go2rtcMediaClient client)
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
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), go2rtc.Api.BaseUrl + Target(path, http.Request.Query))
        {
            Version = System.Net.HttpVersion.Version11,
        };
        // A stalled go2rtc must not hold a viewer's request forever: headers within 30 s, then the body as it comes.
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        headers.CancelAfter(TimeSpan.FromSeconds(30));
        HttpResponseMessage response;
        try
        {
            response = await client.Invoker.SendAsync(request, headers.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            if (http.RequestAborted.IsCancellationRequested) return;
            await Results.Problem(statusCode: 502, title: "go2rtc-error", detail: "go2rtc's HLS did not answer").ExecuteAsync(http);
            return;
        }
        using (response)
        {
            http.Response.StatusCode = (int)response.StatusCode;
            foreach (var name in Passed)
                if (response.Content.Headers.TryGetValues(name, out var v) || response.Headers.TryGetValues(name, out v))
                    http.Response.Headers[name] = v.ToArray();
            if (response.Content.Headers.ContentLength is { } length) http.Response.ContentLength = length;
            if (HttpMethods.IsHead(http.Request.Method)) return;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(http.RequestAborted);
                await body.CopyToAsync(http.Response.Body, http.RequestAborted);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                http.Abort(); // go2rtc went away mid-body: the viewer sees a cut connection, not a short "complete" file
            }
        }
    }
}
