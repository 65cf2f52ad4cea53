using Yarp.ReverseProxy.Forwarder;

namespace LightNvr.Door;

/// <summary>
/// What changes between the person's browser and go2rtc: the path and query are exactly the ones the rules
/// checked; the Host stays the appliance's (go2rtc's WebSocket upgrade only accepts an Origin equal to the
/// Host, and its pages build their links from it); the appliance's cookie and Basic credentials stay here;
/// the cameras' credentials in go2rtc's text answers are masked (<see cref="CredentialMask"/>).
/// go2rtc's pages carry inline scripts, so they get a policy of their own instead of the status page's.
/// </summary>
internal sealed class DoorTransformer(string pathAndQuery) : HttpTransformer
{
    /// <summary>go2rtc's pages: its inline scripts and styles, its files, its API and WebSocket on this origin only; never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "media-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";

    public override async ValueTask TransformRequestAsync(HttpContext http, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(http, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = new Uri(destinationPrefix + pathAndQuery);
        proxyRequest.Headers.Host = http.Request.Host.Value;
        proxyRequest.Headers.Remove("Cookie");
        proxyRequest.Headers.Remove("Authorization");
        proxyRequest.Headers.Remove("Accept-Encoding"); // text answers are masked here, so they must come uncompressed
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext http, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var go = await base.TransformResponseAsync(http, proxyResponse, cancellationToken);
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.Remove("Set-Cookie"); // go2rtc sets none; none of its may land on our origin
        if (!go || proxyResponse?.Content is not { } content || !CredentialMask.Applies(content.Headers.ContentType?.MediaType)) return go;
        // Masking changes the length, so the body is written here and YARP copies none.
        http.Response.Headers.ContentLength = null;
        http.Response.Headers.Remove("Content-Encoding");
        var masked = await CredentialMask.ReadMasked(content, cancellationToken);
        if (masked is null)
        {
            http.Response.StatusCode = StatusCodes.Status502BadGateway;
            http.Response.ContentType = "text/plain; charset=utf-8";
            masked = $"go2rtc's answer is over {CredentialMask.MaxTextBytes / 1024 / 1024} MiB of text: not shown through the door";
        }
        await http.Response.WriteAsync(masked, cancellationToken);
        return false;
    }
}
