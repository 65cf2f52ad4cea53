using System.Net;

namespace LightNvr.Go2rtc;

// The stream calls. go2rtc's stream map is not safe for concurrent use (a concurrent GET and DELETE can
// crash it with a concurrent map access), so every listing or mutating call goes through one gate, one at a time.
public sealed partial class Go2rtcApi
{
    private readonly SemaphoreSlim _streamsGate = new(1, 1);

    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(3);

    /// <summary>The full stream map; null when go2rtc did not answer with one in time.</summary>
    public async Task<IReadOnlyDictionary<string, ObservedStream>?> ListStreamsAsync(CancellationToken cancel)
    {
        var body = await SendAsync(HttpMethod.Get, "api/streams", cancel);
        if (body is not { Status: HttpStatusCode.OK }) return null;
        return StreamReplies.Streams(body.Value.Text);
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
                async (response, token) => StreamReplies.Streams(await response.Content.ReadAsStringAsync(token)), cancel);
        }
        finally
        {
            _streamsGate.Release();
        }
    }

    /// <summary><c>PUT /api/streams?name=…&amp;src=…</c> with the query built by the caller (each value encoded once).</summary>
    public async Task<ApiOutcome> PutStreamAsync(string query, CancellationToken cancel) =>
        StreamReplies.Outcome(await SendAsync(HttpMethod.Put, "api/streams?" + query, cancel), listMeansIgnored: true);

    /// <summary><c>DELETE /api/streams?src=NAME</c>.</summary>
    public async Task<ApiOutcome> DeleteStreamAsync(string name, CancellationToken cancel) =>
        StreamReplies.Outcome(await SendAsync(HttpMethod.Delete, "api/streams?src=" + Uri.EscapeDataString(name), cancel));

    /// <summary><c>PUT /api/preload?src=NAME&amp;video</c> (go2rtc ≥ 1.9.11): keeps the camera connected, video only.</summary>
    public async Task<ApiOutcome> PreloadAsync(string name, CancellationToken cancel) =>
        StreamReplies.Outcome(await SendAsync(HttpMethod.Put, "api/preload?src=" + Uri.EscapeDataString(name) + "&video", cancel));

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

    /// <summary>
    /// Runs a stream call made by someone else (go2rtc's own API through the door) inside the same one-at-a-time
    /// gate, so it can never race our reconcile or health calls inside go2rtc; false when the gate did not open in time.
    /// </summary>
    public async Task<bool> ExclusiveAsync(Func<Task> call, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(CallDeadline);
        try { await _streamsGate.WaitAsync(timeout.Token); }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { return false; }
        try { await call(); }
        finally { _streamsGate.Release(); }
        return true;
    }
}
