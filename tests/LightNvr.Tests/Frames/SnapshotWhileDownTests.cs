using System.Net;
using System.Text;
using System.Text.Json;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Frames;

/// <summary>While go2rtc is down a configured camera's snapshot is 503 go2rtc-restarting; only unknown names are 404.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class SnapshotWhileDownTests
{
    private const string Cameras = """
        cameras:
          - name: door
            url: rtsp://127.0.0.1:1/main
            sub_url: rtsp://127.0.0.1:1/sub
          - name: yard
            url: rtsp://127.0.0.1:1/yard
            enabled: false
        """;

    private static async Task<(int Status, string? Title, TimeSpan? RetryAfter)> Frame(HttpClient http, string name)
    {
        using var r = await http.GetAsync($"/api/streams/{name}/frame.jpeg?w=320");
        string? title = null;
        if (r.Content.Headers.ContentType?.MediaType == "application/problem+json")
            title = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString();
        return ((int)r.StatusCode, title, r.Headers.RetryAfter?.Delta);
    }

    private static async Task ExpectRestarting(HttpClient http, string name)
    {
        var (status, title, retry) = await Frame(http, name);
        await Assert.That((status, title)).IsEqualTo((503, "go2rtc-restarting")).Because(name);
        await Assert.That(retry).IsEqualTo(TimeSpan.FromSeconds(2));
    }

    private static async Task ExpectUnknown(HttpClient http, string name) =>
        await Assert.That(await Frame(http, name)).IsEqualTo((404, "unknown-stream", (TimeSpan?)null)).Because(name);

    [Test]
    public async Task Before_go2rtc_was_ever_ready_configured_cameras_are_restarting_and_unknown_names_stay_404()
    {
        await using var app = new AppHarness(Cameras).WithPassword("snapshot-while-down");
        app.Config.Go2rtc.Binary = app.Dir.File("no-go2rtc-here"); // go2rtc never starts
        await app.Start();
        await app.WaitFor(s => s.Phase == Go2rtcPhase.BinaryProblem, "go2rtc down from the start");
        using var http = app.AuthedHttp();
        await ExpectRestarting(http, "door");
        await ExpectRestarting(http, "door_sub");
        await ExpectUnknown(http, "yard"); // switched off: not a stream at all
        await ExpectUnknown(http, "nosuch");
        await ExpectUnknown(http, "door_subx");
    }

    [Test]
    public async Task A_camera_added_while_go2rtc_is_down_is_restarting_too()
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = new AppHarness(Cameras).WithPassword("snapshot-while-down");
        // go2rtc through a link the test removes: after the restart no binary is found and go2rtc stays down.
        var link = app.Dir.File("go2rtc-link");
        File.CreateSymbolicLink(link, Go2rtcBinary.Path);
        app.Config.Go2rtc.Binary = link;
        await app.Start();
        await app.WaitReady();
        File.Delete(link);
        await app.Supervisor.RequestRestart(LightNvr.Go2rtc.RestartReason.Manual);
        await app.WaitFor(s => s.Phase == Go2rtcPhase.BinaryProblem, "go2rtc down");
        using var http = app.AuthedHttp();
        using var add = await http.PostAsync("/api/streams",
            new StringContent("{\"name\":\"late\",\"url\":\"rtsp://127.0.0.1:1/late\"}", Encoding.UTF8, "application/json"));
        await Assert.That((int)add.StatusCode).IsEqualTo(201);
        await ExpectRestarting(http, "late");
        await ExpectRestarting(http, "door");
        await ExpectUnknown(http, "nosuch");
    }
}
