using LightNvr.Config;
using LightNvr.Streams;

namespace LightNvr.Tests.Streams;

/// <summary>
/// The refusal classes of the camera rules as pure decisions: line breaks at the end of a name,
/// control and invisible characters (also percent-encoded, also encoded twice), sources aimed at the
/// appliance's own services in every spelling of "this machine", and bounded fields.
/// </summary>
public class InputRefusalTests
{
    private const int ApiPort = 1984, WebPort = 8080, WebrtcPort = 8555, RtspPort = 8554;

    private static readonly OwnServices Own = new(() => [ApiPort, WebPort, WebrtcPort], ["nvrbox", "nvrbox.local"]);

    private static Camera Cam(string name = "door", string url = "rtsp://10.0.0.5/ch1") => new() { Name = name, Url = url };

    [Test]
    [Arguments("cam2\n")]
    [Arguments("cam3\r")]
    [Arguments("cam4\r\n")]
    [Arguments("\ncam5")]
    [Arguments("cam\u200b6")]
    [Arguments("cam7\u202e")]
    [Arguments("cam8\u0000")]
    public async Task Names_with_line_breaks_control_or_invisible_characters_are_refused(string name)
    {
        await Assert.That(CameraRules.NameProblem(name)).IsNotNull().And.Contains("expected 1-64 characters a-z, 0-9, _ or -");
        await Assert.That(SourceUrl.StreamName().IsMatch(name)).IsFalse();
    }

    [Test]
    [Arguments("rtsp://10.0.0.5/ch1%0a", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1%0D", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1%00", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1%1f", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1%7F", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1?x=%0d%0aHost:%20evil", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1%250a", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1%25250d", "percent-encoded control character")]
    [Arguments("ffmpeg:rtsp://10.0.0.5/ch1%0a", "percent-encoded control character")]
    [Arguments("http://10.0.0.5/snap%C2%85", "percent-encoded control character")]
    [Arguments("rtsp://10.0.0.5/ch1%E2%80%8B", "percent-encoded invisible Unicode character")]
    [Arguments("rtsp://10.0.0.5/ch1%E2%80%AE", "percent-encoded invisible Unicode character")]
    [Arguments("rtsp://10.0.0.5/ch1%EF%BB%BF", "percent-encoded invisible Unicode character")]
    [Arguments("rtsp://10.0.0.5/ch1\u200b", "invisible Unicode character")]
    [Arguments("rtsp://10.0.0.5/ch1\u2066x\u2069", "invisible Unicode character")]
    [Arguments("rtsp://10.0.0.5/ch1\u2028", "invisible Unicode character")]
    [Arguments("rtsp://10.0.0.5/ch1\u0085", "control character")]
    public async Task Urls_with_encoded_control_or_invisible_characters_are_refused(string url, string reason)
    {
        await Assert.That(UrlRules.UrlProblem(url)).IsNotNull().And.Contains(reason);
    }

    [Test]
    [Arguments("rtsp://10.0.0.5/ch%201")]
    [Arguments("rtsp://10.0.0.5/caf%C3%A9")]
    [Arguments("http://10.0.0.5/snap?name=a%26b%3Dc")]
    [Arguments("rtsp://10.0.0.5/p%25")]
    public async Task Ordinary_percent_encoding_stays_accepted(string url)
    {
        await Assert.That(UrlRules.UrlProblem(url, Own)).IsNull();
    }

    [Test]
    [Arguments("http://127.0.0.1:1984/api/stream.mp4?src=exec:id")]
    [Arguments("http://localhost:1984/api/streams?src=x")]
    [Arguments("http://LOCALHOST.:1984/api")]
    [Arguments("http://foo.localhost:1984/api")]
    [Arguments("http://127.1:1984/api")]
    [Arguments("http://127.0.0.2:1984/api")]
    [Arguments("http://0.0.0.0:1984/api")]
    [Arguments("http://0:1984/api")]
    [Arguments("http://2130706433:1984/api")]
    [Arguments("http://0x7f000001:1984/api")]
    [Arguments("http://[::1]:1984/api")]
    [Arguments("http://[::ffff:127.0.0.1]:1984/api")]
    [Arguments("http://[::]:1984/api")]
    [Arguments("http://nvrbox:1984/api")]
    [Arguments("http://nvrbox.local:1984/api")]
    [Arguments("rtsp://127.0.0.1:1984/x")]
    [Arguments("onvif://127.0.0.1:1984")]
    [Arguments("ffmpeg:http://127.0.0.1:1984/api/frame.jpeg?src=x")]
    [Arguments("http://127.0.0.1:8080/api/streams")]
    [Arguments("https://localhost:8080/")]
    [Arguments("rtsp://127.0.0.1:8555/x")]
    [Arguments("http://%31%32%37.0.0.1:1984/api")]
    public async Task Sources_aimed_at_the_appliance_own_services_are_refused(string url)
    {
        var problem = UrlRules.UrlProblem(url, Own);
        await Assert.That(problem).IsNotNull();
        await Assert.That(problem!).Contains("own service").Or.Contains("invalid host name");
        // The same URL as a detector or webhook is refused too: the appliance itself would call it.
        var camera = Cam();
        camera.Detect = new DetectSettings { Url = url.Replace("rtsp://", "http://").Replace("onvif://", "http://").Replace("ffmpeg:", ""), Webhook = null };
        if (camera.Detect.Url.StartsWith("http"))
            await Assert.That(CameraRules.Problems(camera, Own).Select(p => p.Field)).Contains("detect.url");
    }

    [Test]
    [Arguments("rtsp://127.0.0.1:8554/other")]
    [Arguments("rtsp://localhost:8554/other")]
    [Arguments("rtsp://127.0.0.5:554/main")]
    [Arguments("http://127.0.0.1:9001/api/v1/detect")]
    [Arguments("http://10.0.0.5:1984/api")]
    [Arguments("ffmpeg:rtsp://127.0.0.1:8554/door")]
    public async Task Restream_and_other_loopback_ports_stay_allowed(string url)
    {
        await Assert.That(UrlRules.UrlProblem(url, Own)).IsNull();
    }

    [Test]
    public async Task The_scheme_default_port_counts_when_the_web_port_is_80()
    {
        var own = new OwnServices(() => [80], []);
        await Assert.That(UrlRules.UrlProblem("http://127.0.0.1/api/streams", own)).IsNotNull().And.Contains("port 80");
        await Assert.That(UrlRules.UrlProblem("rtsp://127.0.0.1/x", own)).IsNull();
    }

    [Test]
    public async Task Every_free_text_field_is_bounded_and_named()
    {
        var camera = Cam();
        camera.Username = new string('u', CameraRules.MaxUsernameLength + 1);
        camera.Password = new string('p', 10 * 1024 * 1024);
        camera.Detect = new DetectSettings
        {
            Url = "http://10.0.0.2:9001/detect", Threshold = new string('0', 40),
            Labels = Enumerable.Range(0, CameraRules.MaxLabels + 1).Select(i => $"l{i}").ToList(),
        };
        var problems = CameraRules.Problems(camera).ToDictionary(p => p.Field, p => p.Reason);
        await Assert.That(problems["username"]).Contains($"the limit is {CameraRules.MaxUsernameLength}");
        await Assert.That(problems["password"]).Contains($"the limit is {CameraRules.MaxPasswordLength}");
        await Assert.That(problems["detect.threshold"]).Contains("expected a number from 0 to 1");
        await Assert.That(problems["detect.labels"]).Contains($"at most {CameraRules.MaxLabels} labels");

        var invisible = Cam();
        invisible.Username = "ad\u200bmin";
        invisible.Detect = new DetectSettings { Url = "http://10.0.0.2:9001/detect", Labels = ["per\u200dson"] };
        var named = CameraRules.Problems(invisible).Select(p => p.Field).ToList();
        await Assert.That(named).Contains("username");
        await Assert.That(named).Contains("detect.labels[0]");
    }
}
