using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace LightNvr.WebRtc;

/// <summary>
/// At most 6 offers per client address in any 10 s (each offer costs go2rtc a peer connection and
/// maybe a camera session; LightNVR's grids once flooded it, #182). A sliding window, so a burst
/// across a window edge cannot double it. Registered into the app's one rate limiter by AppHost.
/// </summary>
public sealed class OfferRateLimit : IRateLimiterPolicy<string>
{
    public const string Name = "webrtc-offers";
    public const int Permits = 6;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static void AddTo(RateLimiterOptions options) => options.AddPolicy(Name, new OfferRateLimit());

    public RateLimitPartition<string> GetPartition(HttpContext http) =>
        RateLimitPartition.GetSlidingWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Permits, Window = Window, SegmentsPerWindow = 10, QueueLimit = 0, AutoReplenishment = true,
        });

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
    {
        var http = context.HttpContext;
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 2;
        http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: 429, title: "too-many-offers",
            detail: $"at most {Permits} offers per {Window.TotalSeconds:0} s from one address; retry in {retry} s").ExecuteAsync(http);
    };
}
