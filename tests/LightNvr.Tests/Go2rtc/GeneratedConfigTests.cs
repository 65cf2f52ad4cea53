using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Tests.Go2rtc;

public class GeneratedConfigTests
{
    private static YamlMappingNode Parse(string yaml)
    {
        var s = new YamlStream();
        s.Load(new StringReader(yaml));
        return (YamlMappingNode)s.Documents[0].RootNode;
    }

    private static string At(YamlMappingNode root, params string[] path)
    {
        YamlNode node = root;
        foreach (var key in path) node = ((YamlMappingNode)node)[key];
        return ((YamlScalarNode)node).Value!;
    }

    [Test]
    public async Task Api_and_rtsp_stay_on_loopback_and_webrtc_faces_the_lan()
    {
        var s = new Go2rtcSettings { ApiPort = 11984, RtspPort = 18554, WebrtcPort = 18555 };
        var root = Parse(GeneratedConfig.Render(s));
        await Assert.That(At(root, "api", "listen")).IsEqualTo("127.0.0.1:11984");
        await Assert.That(At(root, "rtsp", "listen")).IsEqualTo("127.0.0.1:18554");
        await Assert.That(At(root, "webrtc", "listen")).IsEqualTo(":18555");
        await Assert.That(At(root, "log", "format")).IsEqualTo("json");
        await Assert.That(At(root, "log", "api")).IsEqualTo("info");
        await Assert.That(((YamlSequenceNode)((YamlMappingNode)root["webrtc"])["ice_servers"]).Children).IsEmpty();
    }

    [Test]
    public async Task Ice_servers_with_awkward_credentials_survive_the_round_trip()
    {
        var s = new Go2rtcSettings
        {
            Webrtc = new WebRtcSettings
            {
                IceServers = [new IceServer { Urls = ["turn:turn.example.com:3478"], Username = "u", Credential = "p\"a: ss#1" }],
                Candidates = ["192.168.1.10:8555"],
            },
        };
        var root = Parse(GeneratedConfig.Render(s));
        var server = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)root["webrtc"])["ice_servers"])[0];
        await Assert.That(((YamlScalarNode)server["credential"]).Value).IsEqualTo("p\"a: ss#1");
        await Assert.That(((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)root["webrtc"])["candidates"])[0]).Value)
            .IsEqualTo("192.168.1.10:8555");
    }

    [Test]
    public async Task Streams_are_written_as_lists_in_name_order()
    {
        var streams = new Dictionary<string, IReadOnlyList<string>>
        {
            ["garage"] = ["rtsp://10.0.0.2/a"], ["door"] = ["rtsp://10.0.0.3/b", "ffmpeg:door#video=h264"],
        };
        var text = GeneratedConfig.Render(new Go2rtcSettings(), streams);
        var root = Parse(text);
        var names = ((YamlMappingNode)root["streams"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        await Assert.That(string.Join(",", names)).IsEqualTo("door,garage");
        await Assert.That(((YamlSequenceNode)((YamlMappingNode)root["streams"])["door"]).Children.Count).IsEqualTo(2);
    }

    [Test]
    public async Task Pins_are_valid_json_that_keeps_the_api_on_loopback()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(GeneratedConfig.Pins(new Go2rtcSettings { ApiPort = 1985 }));
        await Assert.That(doc.RootElement.GetProperty("api").GetProperty("listen").GetString()).IsEqualTo("127.0.0.1:1985");
    }

    [Test]
    public async Task Person_file_syntax_errors_carry_line_and_column_and_base_path_is_normalised()
    {
        using var dir = new TempDir();
        var bad = dir.Write("go2rtc.yaml", "api:\n  listen: [\n");
        var check = PersonConfig.Inspect(bad);
        await Assert.That(check.Error).IsNotNull();
        await Assert.That(check.Error!).StartsWith($"{bad}:3:");
        var good = dir.Write("ok.yaml", "api:\n  base_path: /rtc/\n");
        await Assert.That(PersonConfig.Inspect(good).BasePath).IsEqualTo("/rtc");
        await Assert.That(PersonConfig.Inspect(dir.File("none.yaml")).Exists).IsFalse();
        PersonConfig.CreateExampleIfMissing(dir.File("new.yaml"));
        await Assert.That(PersonConfig.Inspect(dir.File("new.yaml")).Error).IsNull();
        await Assert.That(File.GetUnixFileMode(dir.File("new.yaml"))).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
