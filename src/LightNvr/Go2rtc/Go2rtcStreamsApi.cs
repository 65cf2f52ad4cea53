using System.Net;
using System.Text.Json;

namespace LightNvr.Go2rtc;

/// <summary>One stream as <c>GET /api/streams</c> reports it, read tolerantly across go2rtc versions.</summary>
/// <param name="ProducerUrls">Each producer's <c>url</c> (null when absent); empty when <c>producers</c> is null.</param>
/// <param name="BytesReceived">Sum of the producers' <c>bytes_recv</c>.</param>
public sealed record ObservedStream(IReadOnlyList<string?> ProducerUrls, long BytesReceived, int Consumers);

/// <summary>What a mutating call did. <see cref="Applied"/> can be true with a <see cref="Warning"/>
/// (go2rtc changed its streams in memory but could not write its config file).</summary>
public sealed record ApiOutcome(bool Applied, string? Warning = null, string? Error = null)
{
    public static readonly ApiOutcome Ok = new(true);
}

// The stream calls. go2rtc's stream map is not safe for concurrent use (a concurrent GET and DELETE can
// crash it), so every listing or mutating call goes through one gate, one at a time.
public sealed partial class Go2rtcApi
{
    private readonly SemaphoreSlim _streamsGate = new(1, 1);

    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(3);

    /// <summary>The full stream map; null when go2rtc did not answer with one in time.</summary>
    public async Task<IReadOnlyDictionary<string, ObservedStream>?> ListStreamsAsync(CancellationToken cancel)
    {
        var body = await SendAsync(HttpMethod.Get, "api/streams", cancel);
        if (body is not { Status: HttpStatusCode.OK }) return null;
        return ParseStreams(body.Value.Text);
    }

    /// <summary>
    /// The health loop's one request per tick: the stream list doubles as the API liveness probe.
    /// go2rtc encodes its stream map without taking a lock, so a list that does not
    /// come back within <paramref name="deadline"/> means its HTTP server is stuck, not one camera.
    /// When our own stream calls hold the gate, the tick falls back to the ungated probe instead of
    /// waiting: a probe measures go2rtc, never our queue. Streams is null when none were listed.
    /// </summary>
    public async Task<(ProbeResult Probe, IReadOnlyDictionary<string, ObservedStream>? Streams)> ObserveAsync(
        bool schemesProbe, TimeSpan deadline, CancellationToken cancel)
    {
        if (!await _streamsGate.WaitAsync(0, cancel)) return (await ProbeAsync(schemesProbe, deadline, cancel), null);
        try
        {
            return await ProbeGetAsync("api/streams", deadline,
                async (response, token) => ParseStreams(await response.Content.ReadAsStringAsync(token)), cancel);
        }
        finally
        {
            _streamsGate.Release();
        }
    }

    /// <summary><c>PUT /api/streams?name=…&amp;src=…</c> with the query built by the caller (each value encoded once).</summary>
    public async Task<ApiOutcome> PutStreamAsync(string query, CancellationToken cancel)
    {
        var r = await SendAsync(HttpMethod.Put, "api/streams?" + query, cancel);
        if (r is not { } body) return new ApiOutcome(false, Error: "go2rtc did not answer in time");
        if (body.Status == HttpStatusCode.OK)
        {
            // A 200 whose body is the stream list means go2rtc never saw our src (a raw ';' drops the
            // pair): go2rtc's false success.
            return string.IsNullOrWhiteSpace(body.Text) ? ApiOutcome.Ok
                : new ApiOutcome(false, Error: "go2rtc ignored the source (it answered with its stream list)");
        }
        return Classify(body);
    }

    /// <summary><c>DELETE /api/streams?src=NAME</c>.</summary>
    public async Task<ApiOutcome> DeleteStreamAsync(string name, CancellationToken cancel)
    {
        var r = await SendAsync(HttpMethod.Delete, "api/streams?src=" + Uri.EscapeDataString(name), cancel);
        if (r is not { } body) return new ApiOutcome(false, Error: "go2rtc did not answer in time");
        return body.Status == HttpStatusCode.OK ? ApiOutcome.Ok : Classify(body);
    }

    /// <summary><c>PUT /api/preload?src=NAME&amp;video</c> (go2rtc ≥ 1.9.11): keeps the camera connected, video only.</summary>
    public async Task<ApiOutcome> PreloadAsync(string name, CancellationToken cancel)
    {
        var r = await SendAsync(HttpMethod.Put, "api/preload?src=" + Uri.EscapeDataString(name) + "&video", cancel);
        if (r is not { } body) return new ApiOutcome(false, Error: "go2rtc did not answer in time");
        return body.Status == HttpStatusCode.OK ? ApiOutcome.Ok : Classify(body);
    }

    private static ApiOutcome Classify((HttpStatusCode Status, string Text) body)
    {
        var message = Logging.Redactor.Redact(body.Text.Trim());
        // The stream is already live in memory when go2rtc fails to write its config back.
        if (body.Status == HttpStatusCode.BadRequest &&
            (message.StartsWith("config file disabled") || message.StartsWith("yaml:") || message.Contains("read-only file system")
             || message.Contains("permission denied")))
            return new ApiOutcome(true, Warning: $"applied in memory, not saved by go2rtc: {message}");
        return new ApiOutcome(false, Error: $"go2rtc answered {(int)body.Status}: {(message.Length == 0 ? "(no message)" : message)}");
    }

    private async Task<(HttpStatusCode Status, string Text)?> SendAsync(HttpMethod method, string path, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(CallDeadline);
        try
        {
            await _streamsGate.WaitAsync(timeout.Token);
            try
            {
                using var request = new HttpRequestMessage(method, At(path));
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token));
            }
            finally
            {
                _streamsGate.Release();
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            if (cancel.IsCancellationRequested) throw;
            return null;
        }
    }

    /// <summary>Parses the full stream map; unknown fields ignored, <c>producers</c>/<c>consumers</c> may be null.</summary>
    public static IReadOnlyDictionary<string, ObservedStream>? ParseStreams(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var result = new Dictionary<string, ObservedStream>(StringComparer.Ordinal);
            foreach (var stream in doc.RootElement.EnumerateObject())
            {
                var urls = new List<string?>();
                long bytes = 0;
                var consumers = 0;
                if (stream.Value.ValueKind == JsonValueKind.Object)
                {
                    if (stream.Value.TryGetProperty("producers", out var producers) && producers.ValueKind == JsonValueKind.Array)
                        foreach (var p in producers.EnumerateArray())
                        {
                            if (p.ValueKind != JsonValueKind.Object) continue;
                            urls.Add(p.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null);
                            if (p.TryGetProperty("bytes_recv", out var b) && b.TryGetInt64(out var n)) bytes += n;
                        }
                    if (stream.Value.TryGetProperty("consumers", out var c) && c.ValueKind == JsonValueKind.Array) consumers = c.GetArrayLength();
                }
                result[stream.Name] = new ObservedStream(urls, bytes, consumers);
            }
            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
