using System.Net;
using System.Text.Json;

namespace LightNvr.Go2rtc;

/// <summary>
/// The loopback HTTP connection to go2rtc's API: no proxy (HTTP_PROXY must never capture 127.0.0.1),
/// a 1 s connect timeout, and a deadline on every call. The stream calls are in Go2rtcStreamsApi.cs.
/// </summary>
public sealed partial class Go2rtcApi : IGo2rtcClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly int _port;
    private string _basePath = "";

    public Go2rtcApi(int port)
    {
        _port = port;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = new Uri(UrlFor(port, "") + "/"),
            Timeout = Timeout.InfiniteTimeSpan, // each call sets its own deadline
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    /// <summary>
    /// go2rtc's <c>api.base_path</c> from the person's go2rtc.yaml, set by the supervisor before each start:
    /// a setting of the one client, so every reader keeps the same instance across restarts.
    /// </summary>
    public string BasePath
    {
        get => Volatile.Read(ref _basePath);
        set => Volatile.Write(ref _basePath, value.TrimEnd('/'));
    }

    public string BaseUrl => UrlFor(_port, BasePath);

    public int Port => _port;

    public static string UrlFor(int port, string basePath) => $"http://127.0.0.1:{port}{basePath}";

    /// <summary>A path under the base path, relative to the client's base address.</summary>
    private string At(string path) => BasePath.TrimStart('/') is { Length: > 0 } b ? b + "/" + path : path;

    /// <summary><c>GET /api</c>: go2rtc's version when it answers 200 within the deadline, else null.</summary>
    public async Task<string?> GetVersionAsync(TimeSpan deadline, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(deadline);
        try
        {
            using var response = await _http.GetAsync(At("api"), timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK) return null;
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(timeout.Token));
            return doc.RootElement.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or IOException)
        {
            if (cancel.IsCancellationRequested) throw;
            return null;
        }
    }

    /// <summary>
    /// The health probe: <c>GET /api/schemes</c> on go2rtc ≥ 1.9.12 (it only reads a map fixed at start),
    /// else <c>GET /api</c> (which races inside go2rtc if called concurrently; the health loop never does).
    /// Not queued behind stream calls: a probe must measure go2rtc, not our own queue.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(bool schemes, TimeSpan deadline, CancellationToken cancel) =>
        (await ProbeGetAsync(schemes ? "api/schemes" : "api", deadline, static (_, _) => Task.FromResult<object?>(null), cancel)).Probe;

    /// <summary>
    /// One GET within <paramref name="deadline"/>, its outcome classified as the health loop counts it;
    /// <paramref name="read"/> turns a 200's body into a value (headers and body share the deadline).
    /// </summary>
    private async Task<(ProbeResult Probe, T? Value)> ProbeGetAsync<T>(string path, TimeSpan deadline,
        Func<HttpResponseMessage, CancellationToken, Task<T?>> read, CancellationToken cancel) where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(deadline);
        try
        {
            using var response = await _http.GetAsync(At(path), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var probe = ProbeResults.FromStatus((int)response.StatusCode);
            return (probe, response.StatusCode == HttpStatusCode.OK ? await read(response, timeout.Token) : null);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            return (ProbeResult.ConnectionRefused, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            if (cancel.IsCancellationRequested) throw;
            return (ProbeResult.Timeout, null);
        }
    }

    /// <summary>
    /// Opens <c>GET /api/stream.mp4?src=NAME</c> and returns its endless body: a consumer that keeps
    /// go2rtc's producer connected (the keep-alive for go2rtc &lt; 1.9.11, which has no preload).
    /// Not behind the stream-call gate; null when go2rtc refused it.
    /// </summary>
    public async Task<Stream?> OpenMp4Async(string name, CancellationToken cancel)
    {
        var response = await _http.GetAsync(At("api/stream.mp4?src=" + Uri.EscapeDataString(name)), HttpCompletionOption.ResponseHeadersRead, cancel);
        if (response.IsSuccessStatusCode) return await response.Content.ReadAsStreamAsync(cancel);
        response.Dispose();
        return null;
    }

    /// <summary>
    /// The recorder's segment: go2rtc answers 500 with its reason when the camera cannot be dialled, and
    /// ends the body itself after <paramref name="durationSeconds"/>. Only the headers have a deadline here.
    /// </summary>
    public async Task<Mp4Opening> OpenMp4Async(string name, int durationSeconds, CancellationToken cancel)
    {
        var path = At($"api/stream.mp4?src={Uri.EscapeDataString(name)}&duration={durationSeconds}");
        try
        {
            var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancel);
            if (response.IsSuccessStatusCode) return new(await response.Content.ReadAsStreamAsync(cancel), null);
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancel);
                return new(null, $"go2rtc answered {(int)response.StatusCode}: {(text.Length > 200 ? text[..200] : text).Trim()}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancel.IsCancellationRequested)
        {
            return new(null, "go2rtc is not answering: " + e.Message);
        }
    }

    /// <summary>What <c>GET /api/frame.jpeg</c> gave: status and body, or that it timed out or was too large.</summary>
    public sealed record FrameReply(HttpStatusCode Status, byte[] Body, bool TimedOut, bool TooLarge);

    /// <summary>
    /// <c>GET /api/frame.jpeg?src=NAME…</c> with our own deadline (go2rtc has none: it waits for a
    /// keyframe forever) and a bounded read (go2rtc has no size cap).
    /// </summary>
    public async Task<FrameReply> GetFrameAsync(string query, TimeSpan deadline, int maxBytes, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(deadline);
        try
        {
            using var response = await _http.GetAsync(At("api/frame.jpeg?" + query), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.Content.Headers.ContentLength > maxBytes) return new(response.StatusCode, [], false, true);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await body.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + n > maxBytes) return new(response.StatusCode, [], false, true);
                buffer.Write(chunk, 0, n);
            }
            return new(response.StatusCode, buffer.ToArray(), false, false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            if (cancel.IsCancellationRequested) throw;
            return new(0, [], true, false);
        }
    }

    public void Dispose() => _http.Dispose();
}
