using System.Net;

namespace LightNvr.WebRtc;

/// <summary>
/// The loopback connection our viewers' requests travel over to go2rtc (offers and HLS): no proxy
/// (HTTP_PROXY must never capture 127.0.0.1), no decompression (bytes pass through as they are),
/// a short connect timeout; each caller sets its own deadline.
/// </summary>
public sealed class Go2rtcMediaClient : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    });

    public void Dispose() => Invoker.Dispose();
}
