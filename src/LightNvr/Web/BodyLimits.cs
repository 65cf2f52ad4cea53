using Microsoft.AspNetCore.Http.Features;

namespace LightNvr.Web;

/// <summary>
/// Request bodies are bounded by route before anything reads them: the login and setup forms 4 KiB,
/// the JSON API and the SDP offer 64 KiB. A declared length over the limit is refused at once (nothing
/// read); a chunked body is read into memory only up to the limit. Either way: 413 problem+json.
/// Eight 10 MB bodies at once must not cost the board memory it never gets back.
/// </summary>
public static class BodyLimits
{
    public const int FormBytes = 4 * 1024;
    public const int JsonBytes = 64 * 1024;
    public const int OfferBytes = WebRtc.OfferRelay.MaxOfferBytes;

    /// <summary>The largest body a request to <paramref name="path"/> may carry.</summary>
    public static int For(PathString path) =>
        path.StartsWithSegments("/login") || path.StartsWithSegments("/setup") || path.StartsWithSegments("/logout") ? FormBytes
        : path.StartsWithSegments("/api/webrtc") ? OfferBytes
        : JsonBytes;

    public static WebApplication UseBodyLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            var limit = For(request.Path);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
            if (request.ContentLength > limit)
            {
                await TooLarge(http, limit);
                return;
            }
            if (request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            {
                // Chunked: no length up front. Read at most limit + 1 bytes; more means refused.
                var buffer = new MemoryStream();
                var chunk = new byte[8192];
                int n;
                try
                {
                    while ((n = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
                    {
                        if (buffer.Length + n > limit)
                        {
                            await TooLarge(http, limit);
                            return;
                        }
                        buffer.Write(chunk, 0, n);
                    }
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    await TooLarge(http, limit);
                    return;
                }
                buffer.Position = 0;
                request.Body = buffer;
                request.ContentLength = buffer.Length;
            }
            await next(http);
        });
        return app;
    }

    private static Task TooLarge(HttpContext http, int limit)
    {
        // The rest of the body is never read: close the connection rather than drain it.
        http.Response.Headers.Connection = "close";
        var what = limit == FormBytes ? "a form" : limit == OfferBytes && http.Request.Path.StartsWithSegments("/api/webrtc") ? "an SDP offer" : "a request body";
        var title = http.Request.Path.StartsWithSegments("/api/webrtc") ? "offer-too-large" : "body too large";
        return Auth.AuthProblems.Write(http, StatusCodes.Status413PayloadTooLarge, title, $"{what} is at most {limit / 1024} KiB here");
    }
}
