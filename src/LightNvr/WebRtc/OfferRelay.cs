using System.Net.Http.Headers;
using System.Text;
using LightNvr.Config;
using LightNvr.Go2rtc;

namespace LightNvr.WebRtc;

/// <summary>
/// Hands a browser's SDP offer to go2rtc's loopback <c>POST /api/webrtc?src=</c> as
/// <c>application/sdp</c> (WHEP: go2rtc answers 201 with the answer SDP) and turns what happened
/// into an <see cref="OfferOutcome"/>. go2rtc compares the Content-Type exactly, so it carries no
/// charset; under a JSON type go2rtc would try to decode the SDP as JSON and refuse the offer.
/// </summary>
public sealed class OfferRelay(AppConfig config, IGo2rtc go2rtc, Go2rtcApi api, Go2rtcMediaClient client)
{
    public const int MaxOfferBytes = 64 * 1024;
    private const int MaxAnswerBytes = 256 * 1024;
    private static readonly MediaTypeHeaderValue Sdp = new("application/sdp");

    public TimeSpan Timeout => TimeSpan.FromMilliseconds(config.Go2rtc.Webrtc.OfferTimeoutMs);

    public async Task<OfferOutcome> RelayAsync(string name, byte[] offer, CancellationToken aborted)
    {
        if (go2rtc.Status.Phase != Go2rtcPhase.Ready)
            return OfferOutcome.Problem(503, "go2rtc-restarting", $"go2rtc is {go2rtc.Status.Phase.ToString().ToLowerInvariant()}", 2);
        return OfferDecision.FromReply(await SendAsync(name, offer, aborted), Timeout);
    }

    private async Task<Go2rtcReply> SendAsync(string name, byte[] offer, CancellationToken aborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{api.BaseUrl}/api/webrtc?src={Uri.EscapeDataString(name)}")
        {
            Content = new ByteArrayContent(offer),
            Version = System.Net.HttpVersion.Version11,
        };
        request.Content.Headers.ContentType = Sdp;
        try
        {
            using var response = await client.Invoker.SendAsync(request, deadline.Token);
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = await body.ReadAsync(chunk, deadline.Token)) > 0 && buffer.Length < MaxAnswerBytes) buffer.Write(chunk, 0, n);
            return new Go2rtcReply((int)response.StatusCode, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), false, false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return new Go2rtcReply(null, "", true, false);
        }
        catch (HttpRequestException)
        {
            return new Go2rtcReply(null, "", false, true);
        }
        catch (IOException)
        {
            return new Go2rtcReply(null, "", false, true);
        }
    }
}
