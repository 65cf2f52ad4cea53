using LightNvr.Limits;

namespace LightNvr.WebRtc;

/// <summary>
/// At most 6 offers per client address in any 10 s (each offer costs go2rtc a peer connection and
/// maybe a camera session; LightNVR's grids once flooded it, #182). A sliding window, so a burst
/// across a window edge cannot double it. An endpoint filter on <c>POST /api/webrtc</c>.
/// </summary>
public sealed class OfferRateLimit(TimeProvider clock) : IEndpointFilter
{
    public const int Permits = 6;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly SlidingWindowPerClient _offers = new(Permits, Window, clock);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (_offers.TryTake(http.Connection.RemoteIpAddress?.ToString() ?? "unknown") is not { } wait) return await next(context);
        var retry = SlidingWindowPerClient.Seconds(wait);
        http.Response.Headers.RetryAfter = retry;
        return Results.Problem(statusCode: 429, title: "too-many-offers",
            detail: $"at most {Permits} offers per {Window.TotalSeconds:0} s from one address; retry in {retry} s");
    }
}
