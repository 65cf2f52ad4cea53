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

/// <summary>What go2rtc's answers to the stream calls mean, read into our own words. Pure.</summary>
public static class StreamReplies
{
    /// <summary>Parses the full stream map; unknown fields ignored, <c>producers</c>/<c>consumers</c> may be null.</summary>
    public static IReadOnlyDictionary<string, ObservedStream>? Streams(string json)
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

    /// <summary>
    /// What a stream call's answer means: done; done in memory with a warning when only go2rtc's write of its
    /// config file failed; or refused in go2rtc's own words (credentials removed). Null: no answer in time.
    /// </summary>
    /// <param name="listMeansIgnored">For <c>PUT /api/streams</c>: a 200 whose body is the stream list means go2rtc
    /// never saw our src (a raw ';' drops the pair), go2rtc's false success.</param>
    public static ApiOutcome Outcome((HttpStatusCode Status, string Text)? reply, bool listMeansIgnored = false)
    {
        if (reply is not { } body) return new ApiOutcome(false, Error: "go2rtc did not answer in time");
        if (body.Status == HttpStatusCode.OK)
            return listMeansIgnored && !string.IsNullOrWhiteSpace(body.Text)
                ? new ApiOutcome(false, Error: "go2rtc ignored the source (it answered with its stream list)")
                : ApiOutcome.Ok;
        var message = Logging.Redactor.Redact(body.Text.Trim());
        // The stream is already live in memory when go2rtc fails to write its config back.
        if (body.Status == HttpStatusCode.BadRequest &&
            (message.StartsWith("config file disabled") || message.StartsWith("yaml:") || message.Contains("read-only file system")
             || message.Contains("permission denied")))
            return new ApiOutcome(true, Warning: $"applied in memory, not saved by go2rtc: {message}");
        return new ApiOutcome(false, Error: $"go2rtc answered {(int)body.Status}: {(message.Length == 0 ? "(no message)" : message)}");
    }
}
