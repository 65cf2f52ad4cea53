using System.Net.Http.Headers;
using LightNvr.Config;

namespace LightNvr.WebRtc;

/// <summary>
/// The WebRTC links a person or another NVR opens: <c>GET /webrtc/{stream}</c> (our player),
/// <c>POST /api/webrtc?src=</c> (the offer, relayed to go2rtc's loopback API), and the MSE and HLS fallbacks.
/// </summary>
public static class WebRtcEndpoints
{
    public static IServiceCollection AddWebRtc(this IServiceCollection services)
    {
        services.AddSingleton<Go2rtcMediaClient>();
        services.AddHttpForwarder();
        services.AddSingleton<KnownStreams>();
        services.AddSingleton<OfferRelay>();
        services.AddSingleton<OfferRateLimit>();
        return services;
    }

    public static IEndpointRouteBuilder MapWebRtc(this IEndpointRouteBuilder app)
    {
        app.MapGet("/webrtc/{stream}", (string stream, KnownStreams streams, AppConfig config, HttpContext http) =>
        {
            http.Response.Headers.ContentSecurityPolicy = PlayerPage.ContentSecurityPolicy;
            http.Response.Headers.CacheControl = "no-store";
            return streams.Contains(stream)
                ? Results.Content(PlayerPage.Render(stream, config.Go2rtc.Webrtc), "text/html; charset=utf-8")
                : Results.Content(PlayerPage.NotFound(stream), "text/html; charset=utf-8", statusCode: 404);
        });

        app.MapPost("/api/webrtc", Offer).AddEndpointFilter(app.ServiceProvider.GetRequiredService<OfferRateLimit>());
        app.MapMediaFallbacks();
        return app;
    }

    private static async Task<IResult> Offer(HttpContext http, KnownStreams streams, OfferRelay relay)
    {
        var src = http.Request.Query["src"].ToString();
        if (src.Length == 0) return Problem(400, "missing-src", "name the stream: POST /api/webrtc?src=NAME");
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || type.MediaType != "application/sdp")
            return Problem(415, "not-sdp", $"the offer must be sent as application/sdp, not '{http.Request.ContentType}'");
        if (http.Request.ContentLength > OfferRelay.MaxOfferBytes)
            return Problem(413, "offer-too-large", $"an offer is at most {OfferRelay.MaxOfferBytes / 1024} KiB");
        var offer = await Limits.BoundedRead.ReadAsync(http.Request.Body, OfferRelay.MaxOfferBytes, http.RequestAborted);
        if (offer is null) return Problem(413, "offer-too-large", $"an offer is at most {OfferRelay.MaxOfferBytes / 1024} KiB");
        if (offer.Length < 3 || offer[0] != 'v' || offer[1] != '=' || offer[2] != '0')
            return Problem(400, "not-an-offer", "the body is not an SDP description (it must start with v=0)");
        if (!streams.Contains(src)) return Problem(404, "unknown-stream", $"there is no stream named '{src}'");

        var outcome = await relay.RelayAsync(src, offer, http.RequestAborted);
        if (outcome.Answer is { } answer)
            return Results.Text(answer, "application/sdp", null, 201);
        if (outcome.RetryAfterSeconds is { } retry) http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(outcome.Status, outcome.Title, outcome.Detail);
    }

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}
