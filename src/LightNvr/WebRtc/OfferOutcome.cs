using System.Text.RegularExpressions;

namespace LightNvr.WebRtc;

/// <summary>What our <c>POST /api/webrtc</c> answers: the answer SDP, or a status with a word and go2rtc's text.</summary>
/// <param name="Title">The cause in one word: camera-unreachable, go2rtc-error, go2rtc-restarting, go2rtc-timeout, …</param>
/// <param name="Detail">For people; go2rtc's own error text when there is one, so the player can show it.</param>
public sealed record OfferOutcome(int Status, string? Answer, string Title, string Detail, int? RetryAfterSeconds = null)
{
    public static OfferOutcome Ok(string answer) => new(201, answer, "answer", "");
    public static OfferOutcome Problem(int status, string title, string detail, int? retryAfter = null) =>
        new(status, null, title, detail, retryAfter);
}

/// <summary>What go2rtc did with an offer, as plain data.</summary>
/// <param name="Status">go2rtc's HTTP status, or null when there was no answer at all.</param>
public sealed record Go2rtcReply(int? Status, string Body, bool TimedOut, bool Unreachable);

/// <summary>The pure decision from go2rtc's reply to our answer (table-tested).</summary>
public static partial class OfferDecision
{
    /// <summary>go2rtc's texts that mean the camera cannot be reached (the player stops retrying fast).</summary>
    [GeneratedRegex(@"dial tcp|no route to host|connection refused|i/o timeout|connect:|network is unreachable", RegexOptions.IgnoreCase)]
    private static partial Regex Unreachable();

    public static OfferOutcome FromReply(Go2rtcReply reply, TimeSpan timeout)
    {
        if (reply.TimedOut)
            return OfferOutcome.Problem(504, "go2rtc-timeout", $"go2rtc did not answer the offer within {timeout.TotalSeconds:0.#} s");
        if (reply.Unreachable || reply.Status is null)
            return OfferOutcome.Problem(503, "go2rtc-restarting", "go2rtc is not answering; it is being restarted", 2);
        var text = reply.Body.Trim();
        switch (reply.Status)
        {
            case 201 when text.StartsWith("v=0", StringComparison.Ordinal):
                return OfferOutcome.Ok(reply.Body);
            case 200 or 201:
                // go2rtc answers 201 + SDP only to an exact application/sdp offer (WHEP); anything else means the format went wrong.
                return OfferOutcome.Problem(502, "go2rtc-error", $"go2rtc answered {reply.Status} without a WHEP answer (was the offer sent as application/sdp?)");
            case 404:
                // In our camera list, not (yet) in go2rtc: the reconciler is about to register it.
                return OfferOutcome.Problem(503, "stream-not-registered", "go2rtc does not have this stream yet; it is being registered", 2);
            default:
                // go2rtc's texts may quote a source URL: never with its credentials.
                var detail = text.Length == 0 ? $"go2rtc answered {reply.Status} without a reason" : Logging.Redactor.Redact(text);
                if (detail.Length > 500) detail = detail[..500];
                return OfferOutcome.Problem(502, Unreachable().IsMatch(detail) ? "camera-unreachable" : "go2rtc-error", detail);
        }
    }
}
