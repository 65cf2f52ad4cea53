using System.Net;
using System.Text;
using LightNvr.Go2rtc;
using LightNvr.Tests.StandIn;
using LightNvr.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Tests.Go2rtc;

/// <summary>
/// go2rtc writes every API change back into its first config file, our generated one, with a text
/// patch: the new key is indented like the section's first child and inserted after the section's
/// last line. The stand-in patches the same way, so a config that breaks the patch fails here.
/// </summary>
[NotInParallel("go2rtc-lifecycle")]
public class ConfigWriteBackTests
{
    private const string Src = "rtsp://127.0.0.1:1/x";

    // What go2rtc's patch does to each shape of the streams section (the stand-in's model of it).
    [Test]
    [Arguments("streams: {}\n", 400, null)]                                          // the new key lands under `{}`: invalid
    [Arguments("streams:\n", 200, "streams:\n        cam1:\n          - " + Src + "\n")] // a null section: indented past `streams:`
    [Arguments("log:\n  level: info\n", 200, "log:\n  level: info\nstreams:\n  cam1:\n    - " + Src + "\n")] // none: appended
    [Arguments("streams:\n  a:\n    - rtsp://h/1\nlog:\n  level: info\n", 200,
        "streams:\n  a:\n    - rtsp://h/1\n  cam1:\n    - " + Src + "\nlog:\n  level: info\n")] // block: after the last child
    public async Task The_stand_in_patches_its_first_config_file_the_way_go2rtc_does(string section, int status, string? after)
    {
        Go2rtcBinary.RequireStandIn();
        await using var g = Go2rtcProcess.Start(section);
        await Assert.That(await g.WaitForApi(TimeSpan.FromSeconds(10))).IsTrue();
        var before = File.ReadAllText(g.ConfigFile);
        var put = await g.Http("PUT", "/api/streams?name=cam1&src=" + Uri.EscapeDataString(Src));
        await Assert.That(put.Status).IsEqualTo(status);
        var written = File.ReadAllText(g.ConfigFile);
        if (after is null)
        {
            await Assert.That(put.Text).StartsWith("yaml: ");
            await Assert.That(written).IsEqualTo(before); // nothing saved, though the stream is live in memory
            return;
        }
        await Assert.That(written).EndsWith(after);
    }

    private static Dictionary<string, IReadOnlyList<string>> Cameras(bool any) => !any ? new() :
        new()
        {
            ["door"] = ["rtsp://admin:secret@192.168.100.200:554/cam/realmonitor?channel=1&subtype=0#backchannel=0#timeout=10", "ffmpeg:door#video=h264#audio=opus"],
            ["yard"] = ["rtsp://10.0.0.9:554/a-rather-long-path/that/goes/on/and/on/stream1?transport=tcp&profile=main"],
        };

    [Test]
    [Arguments(false)]
    [Arguments(true)] // long sources: a flow list would wrap over lines the patch does not see
    public async Task Every_api_change_is_saved_into_the_generated_config(bool withCameras)
    {
        var cameras = Cameras(withCameras);
        await using var h = new SupervisorHarness();
        var sup = h.Create(streams: new FixedConfigStreams(cameras));
        await h.StartCreated();
        await h.WaitReady();
        var generated = Path.Combine(h.ConfigDir, GeneratedConfig.FileName);
        if (cameras.Count == 0) await Assert.That(File.ReadAllText(generated)).DoesNotContain("streams");
        using var http = new HttpClient { BaseAddress = new Uri(sup.Api.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };

        async Task Saved(HttpMethod method, string query)
        {
            using var r = await http.SendAsync(new HttpRequestMessage(method, "api/streams?" + query));
            var body = await r.Content.ReadAsStringAsync();
            await Assert.That(r.StatusCode).IsEqualTo(HttpStatusCode.OK).Because($"{method} {query}: {body}");
            new YamlStream().Load(new StringReader(File.ReadAllText(generated))); // still a valid file
        }

        await Saved(HttpMethod.Put, "name=cam1&src=" + Uri.EscapeDataString(Src));
        await Saved(HttpMethod.Put, "name=cam2&src=" + Uri.EscapeDataString(Src + "2") + "&src=" + Uri.EscapeDataString("ffmpeg:cam2#audio=opus"));
        await Saved(HttpMethod.Put, "name=cam1&src=" + Uri.EscapeDataString(Src + "1")); // replaced in place
        foreach (var name in cameras.Keys) await Saved(HttpMethod.Put, $"name={name}&src=" + Uri.EscapeDataString(Src + name));
        await Saved(HttpMethod.Delete, "src=cam2");
        var text = File.ReadAllText(generated);
        await Assert.That(text).Contains("cam1:");
        await Assert.That(text).Contains(Src + "1");
        await Assert.That(text).DoesNotContain("cam2:");
    }

    [Test]
    public async Task A_camera_added_to_an_appliance_without_cameras_is_registered_and_saved_without_a_warning()
    {
        await using var app = new AppHarness().WithPassword("write-back-test");
        await app.Start();
        await app.WaitReady();
        using var http = app.AuthedHttp();
        using var add = await http.PostAsync("/api/streams",
            new StringContent("{\"name\":\"porch\",\"url\":\"rtsp://127.0.0.1:1/porch\"}", Encoding.UTF8, "application/json"));
        await Assert.That((int)add.StatusCode).IsEqualTo(201);
        var state = await Wait.Until(() => Task.FromResult(app.Sync.States.GetValueOrDefault("porch") is { Registered: true } s ? s : null),
            TimeSpan.FromSeconds(15), "porch registered");
        await Assert.That(state.Warning).IsNull(); // was: "applied in memory, not saved by go2rtc: yaml: …"
        await Assert.That(File.ReadAllText(Path.Combine(app.Config.Go2rtc.ConfigDir, GeneratedConfig.FileName))).Contains("porch:");
    }
}
