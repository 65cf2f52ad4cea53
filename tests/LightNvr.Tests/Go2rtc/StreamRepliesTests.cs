using System.Net;
using LightNvr.Go2rtc;

namespace LightNvr.Tests.Go2rtc;

/// <summary>go2rtc's answers to the stream calls, as go2rtc 1.9 gives them, read into outcomes and observed streams.</summary>
public class StreamRepliesTests
{
    [Test]
    // status, body, PUT /api/streams?, applied, warning (start), error (start)
    [Arguments(200, "", false, true, null, null)]
    [Arguments(200, "", true, true, null, null)]
    [Arguments(200, "{\"front\":{\"producers\":null}}", true, false, null, "go2rtc ignored the source")]
    [Arguments(200, "{\"front\":{\"producers\":null}}", false, true, null, null)]
    [Arguments(400, "config file disabled\n", false, true, "applied in memory, not saved by go2rtc: config file disabled", null)]
    [Arguments(400, "open /etc/go2rtc.yaml: read-only file system", true, true, "applied in memory", null)]
    [Arguments(400, "yaml: line 3: did not find expected key", false, true, "applied in memory", null)]
    [Arguments(400, "streams: unsupported scheme", true, false, null, "go2rtc answered 400: streams: unsupported scheme")]
    [Arguments(404, "stream not found\n", false, false, null, "go2rtc answered 404: stream not found")]
    [Arguments(500, "", false, false, null, "go2rtc answered 500: (no message)")]
    [Arguments(500, "streams: dial tcp rtsp://admin:hunter22@10.0.0.5:554/s: i/o timeout", true, false, null, "go2rtc answered 500: streams: dial tcp")]
    public async Task An_answer_is_done_done_in_memory_or_refused_in_go2rtc_s_words(int status, string body, bool put,
        bool applied, string? warning, string? error)
    {
        var outcome = StreamReplies.Outcome(((HttpStatusCode)status, body), listMeansIgnored: put);
        await Assert.That(outcome.Applied).IsEqualTo(applied);
        if (warning is null) await Assert.That(outcome.Warning).IsNull();
        else await Assert.That(outcome.Warning!).StartsWith(warning);
        if (error is null) await Assert.That(outcome.Error).IsNull();
        else await Assert.That(outcome.Error!).StartsWith(error);
        await Assert.That($"{outcome.Warning} {outcome.Error}").DoesNotContain("hunter22");
    }

    [Test]
    public async Task No_answer_in_time_is_not_applied()
    {
        var outcome = StreamReplies.Outcome(null, listMeansIgnored: true);
        await Assert.That(outcome.Applied).IsFalse();
        await Assert.That(outcome.Error).IsEqualTo("go2rtc did not answer in time");
    }

    [Test]
    public async Task The_stream_map_is_read_tolerantly()
    {
        var streams = StreamReplies.Streams("""
            {"front": {"producers": [{"url": "rtsp://10.0.0.5/ch1", "bytes_recv": 1200, "extra": 1}, {"bytes_recv": 300}, 7],
                       "consumers": [{}, {}]},
             "idle": {"producers": null, "consumers": null},
             "odd": 5}
            """)!;
        await Assert.That(streams.Keys.Order()).IsEquivalentTo(["front", "idle", "odd"]);
        await Assert.That(streams["front"].ProducerUrls).IsEquivalentTo(new string?[] { "rtsp://10.0.0.5/ch1", null });
        await Assert.That(streams["front"].BytesReceived).IsEqualTo(1500);
        await Assert.That(streams["front"].Consumers).IsEqualTo(2);
        await Assert.That((streams["idle"].ProducerUrls.Count, streams["idle"].BytesReceived, streams["idle"].Consumers)).IsEqualTo((0, 0L, 0));
        await Assert.That(streams["odd"].ProducerUrls).IsEmpty();
    }

    [Test]
    [Arguments("")]
    [Arguments("[]")]
    [Arguments("null")]
    [Arguments("{\"front\": ")]
    [Arguments("<html>502 Bad Gateway</html>")]
    public async Task What_is_not_a_stream_map_is_none(string body) =>
        await Assert.That(StreamReplies.Streams(body)).IsNull();
}
