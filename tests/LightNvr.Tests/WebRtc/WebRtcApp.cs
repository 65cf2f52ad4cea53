using System.Net;
using System.Net.Sockets;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.WebRtc;

/// <summary>
/// The appliance with one camera, "door", set up for loopback WebRTC by configuration alone:
/// go2rtc offers only 127.0.0.1 candidates (filters) plus a manual 127.0.0.1 candidate on its media
/// port, exactly what a person would write for a board reached on one address. With the stand-in
/// the camera is a local socket that accepts (reachable) or a closed port (unreachable); with a real
/// go2rtc (GO2RTC_BINARY) it is GO2RTC_TEST_CAMERA (e.g. an RTSP test camera served by ffmpeg or mediamtx).
/// </summary>
internal sealed class WebRtcApp : IAsyncDisposable
{
    public AppHarness App { get; }
    private readonly TcpListener? _camera;

    private WebRtcApp(AppHarness app, TcpListener? camera) { App = app; _camera = camera; }

    public HttpClient Http => App.Http;
    public string BaseUrl => App.Http.BaseAddress!.ToString().TrimEnd('/');

    public static async Task<WebRtcApp> Start(bool reachable = true, Action<AppConfig>? configure = null,
        SupervisorOptions? options = null, bool waitReady = true, string? password = null)
    {
        TcpListener? camera = null;
        string url;
        if (Go2rtcBinary.IsStandIn)
        {
            camera = new TcpListener(IPAddress.Loopback, 0);
            camera.Start();
            var port = ((IPEndPoint)camera.LocalEndpoint).Port;
            if (!reachable) { camera.Stop(); camera = null; } // a port nobody listens on: refused
            url = $"rtsp://127.0.0.1:{port}/live";
        }
        else
        {
            url = reachable
                ? Environment.GetEnvironmentVariable("GO2RTC_TEST_CAMERA") is { Length: > 0 } cam ? cam
                    : throw new InvalidOperationException("a real go2rtc needs GO2RTC_TEST_CAMERA (an RTSP test camera) for playback tests")
                : $"rtsp://127.0.0.1:{Ports.Free()}/none";
        }
        var app = new AppHarness($"cameras:\n  - name: door\n    url: {url}\n");
        var webrtc = app.Config.Go2rtc.Webrtc;
        webrtc.Candidates = [$"127.0.0.1:{app.Config.Go2rtc.WebrtcPort}"];
        webrtc.Filters = new WebRtcFilters { Loopback = true, Ips = ["127.0.0.1"] };
        configure?.Invoke(app.Config);
        if (password is not null) app.WithPassword(password);
        try
        {
            await app.Start(options);
            if (waitReady)
            {
                await app.WaitReady();
                await app.WaitGo2rtcStreams(["door"]);
                await Wait.Until(() => app.Sync.Desired?.Streams.ContainsKey("door") == true, TimeSpan.FromSeconds(15), "door in the plan");
            }
        }
        catch
        {
            await app.DisposeAsync();
            camera?.Stop();
            throw;
        }
        return new WebRtcApp(app, camera);
    }

    /// <summary>A stand-in switch for stream.mp4: ok | codecs (go2rtc refuses the MP4 consumer).</summary>
    public async Task StandInMp4(string mode)
    {
        using var r = await App.Go2rtcHttp.PostAsync($"{App.Go2rtcUrl}/standin/mp4?mode={mode}", null);
        r.EnsureSuccessStatusCode();
    }

    /// <summary>A stand-in switch: ok | codecs | hang | noice | slow.</summary>
    public async Task StandInWebRtc(string mode)
    {
        using var r = await App.Go2rtcHttp.PostAsync($"{App.Go2rtcUrl}/standin/webrtc?mode={mode}", null);
        r.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        _camera?.Stop();
    }
}
