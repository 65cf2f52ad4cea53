using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using LightNvr.Detection;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Detection;

/// <summary>The feed end to end: the app with the go2rtc stand-in, the detector stand-in, a webhook receiver.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class DetectionFeedTests
{
    /// <summary>The app with no cameras yet (so tests can shorten the feed's deadlines first) and a reachable fake camera.</summary>
    private static async Task<(AppHarness App, TcpListener Camera)> Start()
    {
        Go2rtcBinary.RequireStandIn();
        var camera = new TcpListener(IPAddress.Loopback, Ports.Free());
        camera.Start();
        var app = new AppHarness("cameras: []\n");
        await app.Start();
        await app.WaitReady();
        return (app, camera);
    }

    private static string CameraUrl(TcpListener camera, string path = "live") => $"rtsp://127.0.0.1:{((IPEndPoint)camera.LocalEndpoint).Port}/{path}";

    private static async Task Add(AppHarness app, string name, string url, JsonObject? detect)
    {
        var body = new JsonObject { ["name"] = name, ["url"] = url };
        if (detect is not null) body["detect"] = detect;
        var response = await app.Http.PostAsync("/api/streams", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Created);
    }

    private static JsonObject Detect(string url, int intervalMs = 200, string? webhook = null, params string[] labels) => new()
    {
        ["url"] = url, ["interval_ms"] = intervalMs, ["threshold"] = 0.5,
        ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]), ["webhook"] = webhook,
    };

    private static async Task<JsonElement> Detections(AppHarness app, string name) =>
        JsonDocument.Parse(await app.Http.GetStringAsync($"/api/streams/{name}/detections")).RootElement;

    private static async Task<JsonElement?> WaitDetections(AppHarness app, string name, Func<JsonElement, bool> condition, string what)
    {
        var last = "";
        var json = await Wait.Until(async () =>
        {
            last = await app.Http.GetStringAsync($"/api/streams/{name}/detections");
            return condition(JsonDocument.Parse(last).RootElement) ? last : null;
        }, TimeSpan.FromSeconds(30), $"{what} (last: {last})");
        return JsonDocument.Parse(json).RootElement;
    }

    private static async Task<double> Metric(AppHarness app, string series)
    {
        var text = await app.Http.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task WaitMetric(AppHarness app, string series, double atLeast) =>
        Wait.Until(async () => await Metric(app, series) >= atLeast ? "" : null, TimeSpan.FromSeconds(30), $"{series} >= {atLeast}");

    [Test]
    [Arguments("nested")]
    [Arguments("flat")]
    [Arguments("pixels")]
    public async Task Frames_come_back_as_normalized_boxes_events_metrics_and_a_webhook(string mode)
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        await using var detector = await DetectorStandIn.Start(mode);
        await using var hook = await WebhookReceiver.Start();
        await Add(app, "door", CameraUrl(camera), Detect(detector.UrlFor("door"), webhook: hook.Url, labels: "person"));

        var d = (await WaitDetections(app, "door", x => x.GetProperty("detections").GetArrayLength() > 0, "door's detections"))!.Value;
        await Assert.That(d.GetProperty("stream").GetString()).IsEqualTo("door");
        await Assert.That(d.GetProperty("detector").GetString()).IsEqualTo("ok");
        await Assert.That(d.GetProperty("error").ValueKind).IsEqualTo(JsonValueKind.Null);
        await Assert.That(d.GetProperty("at").GetDateTimeOffset()).IsGreaterThan(DateTimeOffset.UnixEpoch);
        var person = d.GetProperty("detections").EnumerateArray().Single(); // the car is not a label of interest, the dog is under 0.5
        await Assert.That(person.GetProperty("label").GetString()).IsEqualTo("person");
        await Assert.That(person.GetProperty("confidence").GetDouble()).IsEqualTo(0.91);
        var box = person.GetProperty("box");
        await Assert.That(new[] { "x_min", "y_min", "x_max", "y_max" }.Select(k => box.GetProperty(k).GetDouble()))
            .IsEquivalentTo(new[] { 0.1, 0.2, 0.5, 0.9 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);

        var stats = await detector.Stats("door");
        await Assert.That(stats.LastQuery).IsEqualTo("backend=onnx&confidence_threshold=0.5&return_image=false");
        await Assert.That(stats.LastFileType).IsEqualTo("image/jpeg");
        await Assert.That(stats.LastFileIsJpeg).IsTrue();
        await Assert.That(stats.MaxInFlight).IsEqualTo(1);

        using var events = JsonDocument.Parse(await app.Http.GetStringAsync("/api/events?limit=3"));
        var list = events.RootElement.GetProperty("events").EnumerateArray().ToList();
        await Assert.That(list.Count).IsBetween(1, 3);
        await Assert.That(list.All(e => e.GetProperty("label").GetString() == "person" && e.GetProperty("stream").GetString() == "door")).IsTrue();
        var times = list.Select(e => e.GetProperty("time").GetDateTimeOffset()).ToList();
        await Assert.That(times).IsEquivalentTo(times.OrderDescending(), TUnit.Assertions.Enums.CollectionOrdering.Matching);

        await Wait.Until(() => !hook.Bodies.IsEmpty, TimeSpan.FromSeconds(30), "a webhook call");
        hook.Bodies.TryPeek(out var first);
        using var call = JsonDocument.Parse(first!);
        await Assert.That(call.RootElement.GetProperty("stream").GetString()).IsEqualTo("door");
        var sent = call.RootElement.GetProperty("events").EnumerateArray().Single();
        await Assert.That(sent.GetProperty("label").GetString()).IsEqualTo("person");
        await Assert.That(sent.GetProperty("box").GetProperty("x_max").GetDouble()).IsEqualTo(0.5);

        await WaitMetric(app, "lightnvr_detect_webhook_sent_total{stream=\"door\"}", 1);
        await Assert.That(await Metric(app, "lightnvr_detections_total{stream=\"door\",label=\"person\"}")).IsGreaterThanOrEqualTo(1);
        await Assert.That(await Metric(app, "lightnvr_detect_requests_total{stream=\"door\"}")).IsGreaterThanOrEqualTo(1);
        await Assert.That(await Metric(app, "lightnvr_detections_total{stream=\"door\",label=\"car\"}")).IsEqualTo(0);
    }

    [Test]
    [Arguments("500", "HTTP 500")]
    [Arguments("malformed", "malformed answer: not JSON")]
    [Arguments("hang", "no answer within 1500 ms")]
    public async Task A_failing_detector_is_shown_backs_off_and_recovers(string mode, string error)
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        var timing = app.App.Services.GetRequiredService<FeedTiming>();
        timing.RequestTimeout = TimeSpan.FromMilliseconds(1500);
        timing.BackoffCap = TimeSpan.FromSeconds(2);
        await using var detector = await DetectorStandIn.Start(mode);
        await Add(app, "door", CameraUrl(camera), Detect(detector.UrlFor("door")));

        var failing = (await WaitDetections(app, "door", x => x.GetProperty("detector").GetString() == "failing", "detector failing"))!.Value;
        await Assert.That(failing.GetProperty("error").GetString()).StartsWith(error);
        await WaitMetric(app, "lightnvr_detect_failures_total{stream=\"door\"}", 1);
        // Snapshots do not suffer: the endpoint still answers with a frame.
        await Assert.That((await app.Http.GetAsync("/api/streams/door/frame.jpeg")).StatusCode).IsEqualTo(HttpStatusCode.OK);

        await detector.Mode("nested");
        var ok = (await WaitDetections(app, "door", x => x.GetProperty("detector").GetString() == "ok", "detector ok again"))!.Value;
        await Assert.That(ok.GetProperty("error").ValueKind).IsEqualTo(JsonValueKind.Null);
        await Assert.That(ok.GetProperty("detections").GetArrayLength()).IsEqualTo(2); // person and car: no labels = all
    }

    [Test]
    public async Task A_slow_detector_never_piles_up_frames_one_request_in_flight_per_camera()
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        await using var detector = await DetectorStandIn.Start("slow");
        await detector.Mode("slow", delayMs: 1200);
        await Add(app, "door", CameraUrl(camera, "a"), Detect(detector.UrlFor("door")));
        await Add(app, "yard", CameraUrl(camera, "b"), Detect(detector.UrlFor("yard")));

        foreach (var name in new[] { "door", "yard" })
        {
            await Wait.Until(async () => (await detector.Stats(name)).Requests >= 3 ? "" : null, TimeSpan.FromSeconds(40), $"3 requests for {name}");
            await WaitMetric(app, $"lightnvr_detect_skipped_frames_total{{stream=\"{name}\"}}", 1);
        }
        foreach (var name in new[] { "door", "yard" })
            await Assert.That((await detector.Stats(name)).MaxInFlight).IsEqualTo(1);
        await Assert.That((await Detections(app, "door")).GetProperty("detector").GetString()).IsEqualTo("ok");
    }

    [Test]
    public async Task Webhook_calls_never_pile_up_a_busy_receiver_means_dropped_events()
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        app.App.Services.GetRequiredService<FeedTiming>().WebhookTimeout = TimeSpan.FromSeconds(60);
        await using var detector = await DetectorStandIn.Start();
        await using var hook = await WebhookReceiver.Start();
        hook.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Add(app, "door", CameraUrl(camera), Detect(detector.UrlFor("door"), webhook: hook.Url));

        await WaitMetric(app, "lightnvr_detect_webhook_dropped_total{stream=\"door\"}", 2);
        await Assert.That(hook.Bodies.Count).IsEqualTo(1);
        await Assert.That(hook.MaxInFlight).IsEqualTo(1);
        hook.Hold.SetResult();
        await WaitMetric(app, "lightnvr_detect_webhook_sent_total{stream=\"door\"}", 1);
    }

    [Test]
    public async Task Detect_settings_round_trip_and_the_endpoint_answers_off_unknown_and_snapshot_errors()
    {
        var (app, camera) = await Start();
        await using var _ = app;
        using var __ = camera;
        await using var detector = await DetectorStandIn.Start();
        await Add(app, "plain", CameraUrl(camera, "p"), null);

        var unknown = await app.Http.GetAsync("/api/streams/nope/detections");
        await Assert.That(unknown.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(unknown.Content.Headers.ContentType!.MediaType).IsEqualTo("application/problem+json");
        var off = await Detections(app, "plain");
        await Assert.That(off.GetProperty("detector").GetString()).IsEqualTo("off");
        await Assert.That(off.GetProperty("detections").GetArrayLength()).IsEqualTo(0);
        await Assert.That(off.GetProperty("error").ValueKind).IsEqualTo(JsonValueKind.Null);

        // Refused with the field and the reason.
        var bad = Detect(detector.UrlFor("door"));
        bad["threshold"] = 1.5;
        var refused = await app.Http.PostAsync("/api/streams", new StringContent(
            new JsonObject { ["name"] = "door", ["url"] = CameraUrl(camera), ["detect"] = bad }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        await Assert.That((int)refused.StatusCode).IsEqualTo(400);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        await Assert.That(problem.RootElement.GetProperty("errors").GetProperty("detect.threshold")[0].GetString()).IsEqualTo("expected a number from 0 to 1, found '1.5'");

        // Kept in the file and shown by the API.
        await Add(app, "door", CameraUrl(camera), Detect(detector.UrlFor("door"), 700, "http://127.0.0.1:9/hook", "person", "car"));
        using var view = JsonDocument.Parse(await app.Http.GetStringAsync("/api/streams/door"));
        var shown = view.RootElement.GetProperty("detect");
        await Assert.That(shown.GetProperty("url").GetString()).IsEqualTo(detector.UrlFor("door"));
        await Assert.That(shown.GetProperty("interval_ms").GetInt32()).IsEqualTo(700);
        await Assert.That(shown.GetProperty("threshold").GetDouble()).IsEqualTo(0.5);
        await Assert.That(string.Join(",", shown.GetProperty("labels").EnumerateArray().Select(l => l.GetString()))).IsEqualTo("person,car");
        await Assert.That(shown.GetProperty("webhook").GetString()).IsEqualTo("http://127.0.0.1:9/hook");
        var file = await File.ReadAllTextAsync(app.StreamsPath);
        await Assert.That(file).Contains("detect:").And.Contains("interval_ms: 700").And.Contains("threshold:");
        var reloaded = LightNvr.Streams.StreamsFile.Load(app.StreamsPath).Cameras.Single(c => c.Name == "door").Detect!;
        await Assert.That((reloaded.Url, reloaded.IntervalMs, reloaded.ThresholdValue(), string.Join(",", reloaded.Labels), reloaded.Webhook))
            .IsEqualTo((detector.UrlFor("door"), 700, (double?)0.5, "person,car", (string?)"http://127.0.0.1:9/hook"));

        await WaitDetections(app, "door", x => x.GetProperty("detections").GetArrayLength() == 2, "person and car on door");
        // No frame is counted by cause, and is not the detector's fault.
        await app.Go2rtcHttp.PostAsync($"{app.Go2rtcUrl}/standin/frame?src=door&mode=empty", null);
        await WaitMetric(app, "lightnvr_detect_snapshot_errors_total{stream=\"door\",kind=\"camera-unreachable\"}", 1);
        await Assert.That((await Detections(app, "door")).GetProperty("detector").GetString()).IsEqualTo("ok");

        var deleted = await app.Http.DeleteAsync("/api/streams/door");
        await Assert.That(deleted.StatusCode).IsEqualTo(HttpStatusCode.NoContent);
        await Assert.That((await app.Http.GetAsync("/api/streams/door/detections")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);
    }
}
