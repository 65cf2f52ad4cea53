using LightNvr.Config;
using LightNvr.Door;
using LightNvr.Go2rtc;
using LightNvr.Streams;

namespace LightNvr.Tests.Door;

/// <summary>What the door to go2rtc refuses, as a table over method, path and query; and the config keys it adds.</summary>
public class DoorRulesTests
{
    private static readonly HashSet<string> Managed = ["front", "front_sub"];
    private static readonly OwnServices Own = new(() => [1984, 8080, 8555], ["box"]);

    private static DoorRefusal? Check(string method, string path, string query) =>
        DoorRules.Check(method, path, Pairs(query), Managed.Contains, Own);

    private static List<KeyValuePair<string, string>> Pairs(string query) =>
        query.Length == 0 ? [] : query.Split('&').Select(p => p.Split('=', 2)).Select(kv => new KeyValuePair<string, string>(kv[0], kv.Length > 1 ? kv[1] : "")).ToList();

    [Test]
    [Arguments("PUT", "/api/streams", "name=front&src=rtsp://10.0.0.9/x", "managed-stream")]
    [Arguments("PUT", "/api/streams", "src=front_sub", "managed-stream")]
    [Arguments("DELETE", "/api/streams", "src=front", "managed-stream")]
    [Arguments("PATCH", "/api/streams", "name=front&src=rtsp://10.0.0.9/x", "managed-stream")]
    [Arguments("POST", "/api/streams", "dst=front&src=rtsp://10.0.0.9/x", "managed-stream")]
    [Arguments("POST", "/api/streams", "src=front&dst=rtmp://10.0.0.9/live", "managed-stream")]
    [Arguments("DELETE", "/api/preload", "src=front", "managed-stream")]
    [Arguments("DELETE", "//api//streams", "src=front", "managed-stream")]
    [Arguments("DELETE", "/api%2fstreams", "src=front", "managed-stream")]
    [Arguments("POST", "/api%2Fconfig", "", "owned-by-the-appliance")]
    [Arguments("PUT", "/api/streams", "name=extra&src=exec:ffmpeg -i x", "source-refused")]
    [Arguments("PUT", "/api/streams", "name=extra&src=echo:rtsp://10.0.0.9/x", "source-refused")]
    [Arguments("PUT", "/api/streams", "name=extra&src=ffmpeg:rtsp://10.0.0.9/x#raw=-f null", "source-refused")]
    [Arguments("PUT", "/api/streams", "name=extra&src=rtsp://127.0.0.1:1984/x", "source-refused")]
    [Arguments("PUT", "/api/streams", "name=extra&src=http://box:8080/api/status", "source-refused")]
    [Arguments("GET", "/api/frame.jpeg", "src=exec:ls", "source-refused")]
    [Arguments("GET", "/api/ws", "src=expr:1", "source-refused")]
    [Arguments("POST", "/api/config", "", "owned-by-the-appliance")]
    [Arguments("PATCH", "/api/config", "", "owned-by-the-appliance")]
    [Arguments("POST", "/api/restart", "", "owned-by-the-appliance")]
    [Arguments("GET", "/api/restart", "", "owned-by-the-appliance")]
    [Arguments("POST", "/api/exit", "code=0", "owned-by-the-appliance")]
    [Arguments("POST", "/api/ffmpeg", "dst=extra&file=/etc/passwd", "owned-by-the-appliance")]
    public async Task Refused(string method, string path, string query, string title)
    {
        var refusal = Check(method, path, query);
        await Assert.That(refusal?.Title).IsEqualTo(title);
        await Assert.That(refusal!.Status).IsEqualTo(403);
    }

    [Test]
    [Arguments("GET", "/api/streams", "")]
    [Arguments("GET", "/api/streams", "src=front")]
    [Arguments("GET", "/api/ws", "src=front")]
    [Arguments("GET", "/api/config", "")]
    [Arguments("GET", "/", "")]
    [Arguments("GET", "/stream.html", "src=front&mode=mse")]
    [Arguments("PUT", "/api/streams", "name=extra&src=rtsp://10.0.0.9:554/x")]
    [Arguments("PUT", "/api/streams", "name=extra&src=rtsp://127.0.0.1:8554/front")]
    [Arguments("DELETE", "/api/streams", "src=extra")]
    [Arguments("PATCH", "/api/streams", "name=extra&src=ffmpeg:front")]
    public async Task Let_through(string method, string path, string query) =>
        await Assert.That(Check(method, path, query)).IsNull();

    [Test]
    public async Task Messages_say_who_owns_what()
    {
        await Assert.That(Check("PUT", "/api/streams", "src=front")!.Detail).Contains("change the camera with the appliance's API");
        await Assert.That(Check("POST", "/api/config", "")!.Detail).Contains("written by the appliance on every start");
        await Assert.That(Check("POST", "/api/restart", "")!.Detail).Contains("the appliance starts and restarts go2rtc");
        await Assert.That(Check("PUT", "/api/streams", "name=x&src=exec:ls")!.Detail).IsEqualTo("src: exec: sources make go2rtc run commands; not allowed");
    }

    [Test]
    public async Task The_query_is_forwarded_as_the_rules_read_it()
    {
        await Assert.That(DoorProxy.Query(Pairs("name=a b&src=rtsp://h/x?y=1&video"))).IsEqualTo("?name=a%20b&src=rtsp%3A%2F%2Fh%2Fx%3Fy%3D1&video");
        await Assert.That(DoorProxy.Query([])).IsEqualTo("");
    }

    [Test]
    public async Task The_door_pins_go2rtc_base_path_over_the_persons_own()
    {
        var open = new Go2rtcSettings { ExposeUi = true };
        await Assert.That(GeneratedConfig.BasePath(open, "/rtc")).IsEqualTo("/go2rtc");
        await Assert.That(GeneratedConfig.BasePath(new Go2rtcSettings(), "/rtc")).IsEqualTo("/rtc");
        await Assert.That(GeneratedConfig.Render(open)).Contains("base_path: /go2rtc");
        await Assert.That(GeneratedConfig.Render(new Go2rtcSettings())).DoesNotContain("base_path");
        using var pins = System.Text.Json.JsonDocument.Parse(GeneratedConfig.Pins(open));
        await Assert.That(pins.RootElement.GetProperty("api").GetProperty("base_path").GetString()).IsEqualTo("/go2rtc");
    }

    [Test]
    public async Task Expose_ui_is_off_by_default_and_a_wrong_value_names_the_field()
    {
        using var dir = new Support.TempDir();
        var (config, _) = ConfigLoader.Parse("go2rtc:\n  enabled: true\n", "lightnvr.yaml", dir.Path);
        await Assert.That(config!.Go2rtc.ExposeUi).IsFalse();
        (config, _) = ConfigLoader.Parse("go2rtc:\n  expose_ui: true\n", "lightnvr.yaml", dir.Path);
        await Assert.That(config!.Go2rtc.ExposeUi).IsTrue();
        var (_, errors) = ConfigLoader.Parse("go2rtc:\n  expose_ui: please\n", "lightnvr.yaml", dir.Path);
        await Assert.That(string.Join("\n", errors.Select(e => e.ToString()))).Contains("lightnvr.yaml:2:14: go2rtc.expose_ui: expected true or false, found 'please'");
    }
}
