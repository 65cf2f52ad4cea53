using System.Net.Http.Headers;
using System.Text;

namespace LightNvr.Detection;

/// <summary>
/// The HTTP edge to detectors (light-object-detect's contract): the JPEG as multipart field <c>file</c>,
/// a deadline per request, a bounded answer. Errors are short words without the URL (it may hold a password).
/// </summary>
public sealed class DetectorClient : IDisposable
{
    private const int MaxAnswerBytes = 1024 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
    }) { Timeout = Timeout.InfiniteTimeSpan };

    public sealed record Answer(string? Body, string? Error);

    public async Task<Answer> DetectAsync(string url, double threshold, byte[] jpeg, TimeSpan deadline, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(deadline);
        try
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(jpeg);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", "frame.jpg");
            using var response = await _http.PostAsync(FeedRules.RequestUrl(url, threshold), form, timeout.Token);
            var body = await ReadBoundedAsync(response.Content, timeout.Token);
            if (!response.IsSuccessStatusCode) return new(null, $"HTTP {(int)response.StatusCode}");
            return body is null ? new(null, $"answer over {MaxAnswerBytes} bytes") : new(body, null);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return new(null, $"no answer within {deadline.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException e)
        {
            return new(null, e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "cannot connect",
                HttpRequestError.NameResolutionError => "host name not found",
                HttpRequestError.ResponseEnded => "the detector closed the connection",
                _ => "request failed: " + Logging.Redactor.Redact(e.Message),
            });
        }
        catch (IOException e)
        {
            return new(null, "connection broken: " + Logging.Redactor.Redact(e.Message));
        }
    }

    /// <summary>Simple-HTTP webhook: JSON body, short deadline; the status is all we keep.</summary>
    public async Task<bool> PostJsonAsync(string url, string json, TimeSpan deadline, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(deadline);
        try
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(url, content, timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or ObjectDisposedException)
        {
            return false; // ObjectDisposed: the appliance is stopping while a webhook call runs
        }
    }

    private static async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancel)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(cancel);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + n > MaxAnswerBytes) return null;
            buffer.Write(chunk, 0, n);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public void Dispose() => _http.Dispose();
}
