using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.WebRtc;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Tests.WebRtc;

/// <summary>The pure parts: go2rtc's reply → our answer, the config rules, the HLS allowlist, the generated config.</summary>
public class WebRtcRulesTests
{
    private static readonly TimeSpan Ten = TimeSpan.FromSeconds(10);

    [Test]
    [Arguments(201, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", false, false, 201, "answer")]
    [Arguments(200, "v=0\r\n", false, false, 502, "go2rtc-error")]                       // not WHEP: the offer's type went wrong
    [Arguments(200, "{\"type\":\"answer\"}", false, false, 502, "go2rtc-error")]
    [Arguments(500, "streams: codecs not matched\n", false, false, 502, "go2rtc-error")]
    [Arguments(500, "streams: dial tcp 10.0.0.5:554: connect: connection refused\n", false, false, 502, "camera-unreachable")]
    [Arguments(500, "streams: dial tcp 10.0.0.5:554: i/o timeout\n", false, false, 502, "camera-unreachable")]
    [Arguments(500, "", false, false, 502, "go2rtc-error")]
    [Arguments(404, "stream not found\n", false, false, 503, "stream-not-registered")]
    [Arguments(null, "", true, false, 504, "go2rtc-timeout")]
    [Arguments(null, "", false, true, 503, "go2rtc-restarting")]
    public async Task Each_go2rtc_reply_has_one_answer(int? status, string body, bool timedOut, bool unreachable, int ours, string title)
    {
        var outcome = OfferDecision.FromReply(new Go2rtcReply(status, body, timedOut, unreachable), Ten);
        await Assert.That((outcome.Status, outcome.Title)).IsEqualTo((ours, title));
        await Assert.That(outcome.Answer is not null).IsEqualTo(ours == 201);
    }

    [Test]
    public async Task Go2rtcs_text_is_passed_on_without_credentials()
    {
        var outcome = OfferDecision.FromReply(new Go2rtcReply(500, "streams: wrong response on DESCRIBE rtsp://admin:hunter2@10.0.0.5/main\n", false, false), Ten);
        await Assert.That(outcome.Detail).Contains("DESCRIBE rtsp://");
        await Assert.That(outcome.Detail).DoesNotContain("hunter2");
    }

    [Test]
    [Arguments("192.168.1.10:8555", null)]
    [Arguments("stun:8555", null)]
    [Arguments("nvr.lan:8555", null)]
    [Arguments("[fd00::2]:8555", null)]
    [Arguments("192.168.1.10", "expected host:port")]
    [Arguments("192.168.1.10:0", "expected host:port")]
    [Arguments("bad host:8555", "expected an IP address or host name")]
    public async Task Candidates_are_checked(string candidate, string? problem)
    {
        var found = WebRtcRules.CandidateProblem(candidate);
        if (problem is null) await Assert.That(found).IsNull();
        else await Assert.That(found).Contains(problem);
    }

    private static List<(string Path, string Message)> Errors(WebRtcSettings w)
    {
        var errors = new List<(string, string)>();
        WebRtcRules.Check(w, (p, m) => errors.Add((p, m)));
        return errors;
    }

    [Test]
    public async Task Filters_and_the_deadline_are_checked_with_the_field_named()
    {
        var errors = Errors(new WebRtcSettings
        {
            Filters = new WebRtcFilters { Ips = ["127.0.0.1", "nope"], Networks = ["udp4", "sctp"], UdpPorts = [50100, 50000] },
            OfferTimeoutMs = 10,
        });
        await Assert.That(errors.Select(e => e.Path)).IsEquivalentTo(new[]
        {
            "go2rtc.webrtc.filters.ips[1]", "go2rtc.webrtc.filters.networks[1]", "go2rtc.webrtc.filters.udp_ports", "go2rtc.webrtc.offer_timeout_ms",
        });
        await Assert.That(Errors(new WebRtcSettings())).IsEmpty();
    }

    [Test]
    public async Task A_config_file_with_webrtc_settings_is_read_and_located_errors_point_inside_it()
    {
        using var dir = new Support.TempDir();
        var yaml = "go2rtc:\n  webrtc:\n    candidates: [ \"192.168.1.10:8555\" ]\n    filters:\n      loopback: true\n      ips: [ \"127.0.0.1\" ]\n    offer_timeout_ms: 5000\n";
        var (config, errors) = ConfigLoader.Parse(yaml, "lightnvr.yaml", dir.Path);
        await Assert.That(errors).IsEmpty();
        await Assert.That(config!.Go2rtc.Webrtc.Filters.Loopback == true).IsTrue();
        await Assert.That(config.Go2rtc.Webrtc.OfferTimeoutMs).IsEqualTo(5000);
        var (_, bad) = ConfigLoader.Parse("go2rtc:\n  webrtc:\n    candidates: [ \"10.0.0.2\" ]\n", "lightnvr.yaml", dir.Path);
        await Assert.That(bad.Single().Path).IsEqualTo("go2rtc.webrtc.candidates[0]");
        await Assert.That((bad.Single().Line, bad.Single().Column)).IsEqualTo((3, 19));
    }

    [Test]
    public async Task The_generated_go2rtc_config_carries_filters_only_as_set()
    {
        var s = new Go2rtcSettings { WebrtcPort = 18555 };
        var plain = (YamlMappingNode)Parse(GeneratedConfig.Render(s))["webrtc"];
        await Assert.That(plain.Children.ContainsKey("filters")).IsFalse();
        await Assert.That(((YamlSequenceNode)plain["ice_servers"]).Children).IsEmpty(); // no public STUN by default
        s.Webrtc.Filters = new WebRtcFilters { Loopback = true, Ips = ["127.0.0.1"], UdpPorts = [50000, 50100] };
        var filters = (YamlMappingNode)((YamlMappingNode)Parse(GeneratedConfig.Render(s))["webrtc"])["filters"];
        await Assert.That(((YamlScalarNode)filters["loopback"]).Value).IsEqualTo("true");
        await Assert.That(((YamlScalarNode)((YamlSequenceNode)filters["udp_ports"])[1]).Value).IsEqualTo("50100");
        await Assert.That(filters.Children.ContainsKey("networks")).IsFalse();
    }

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    [Test]
    public async Task Only_the_keys_go2rtc_reads_reach_it_re_encoded()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["src"] = "door", ["mp4"] = "", ["evil"] = "1", ["id"] = "x",
        });
        await Assert.That(MediaProxy.Target("/api/stream.m3u8", query)).IsEqualTo("/api/stream.m3u8?src=door&mp4");
        var segment = new QueryCollection(new Dictionary<string, StringValues> { ["id"] = "a&b=c", ["n"] = "7", ["src"] = "door" });
        await Assert.That(MediaProxy.Target("/api/hls/segment.ts", segment)).IsEqualTo("/api/hls/segment.ts?id=a%26b%3Dc&n=7");
        var mp4 = new QueryCollection(new Dictionary<string, StringValues> { ["src"] = "door", ["duration"] = "5", ["filename"] = "x.mp4" });
        await Assert.That(MediaProxy.Target("/api/stream.mp4", mp4)).IsEqualTo("/api/stream.mp4?src=door");
    }

    [Test]
    public async Task The_player_page_encodes_the_name_and_gives_the_browser_stun_urls_only()
    {
        var settings = new WebRtcSettings
        {
            IceServers = [new IceServer { Urls = ["stun:stun.lan:3478", "turn:turn.lan:3478"], Username = "u", Credential = "s3cret" }],
        };
        var html = PlayerPage.Render("a\"<b>", settings);
        await Assert.That(html).DoesNotContain("a\"<b>");
        await Assert.That(html).DoesNotContain("s3cret");
        await Assert.That(html).DoesNotContain("turn:");
        await Assert.That(html).Contains("stun:stun.lan:3478");
        await Assert.That(html).DoesNotContain("http://").Because("no external assets");
        await Assert.That(PlayerPage.BrowserIce(new WebRtcSettings())).IsEqualTo("[]");
    }
}
