using System.Net;
using System.Text;
using System.Text.Json;
using LightNvr.Streams;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Streams;

/// <summary>
/// The streams API against the real appliance and go2rtc stand-in: refused input never reaches the
/// file or go2rtc, and every success describes exactly what was stored, also under racing requests.
/// </summary>
[NotInParallel("go2rtc-lifecycle")]
public class StreamsHardeningTests
{
    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    [Test]
    public async Task Line_breaks_encoded_controls_and_own_services_are_refused_with_the_field_and_nothing_is_saved()
    {
        await using var app = await new AppHarness().Start();
        await app.WaitReady();
        var web = app.Http.BaseAddress!.Port;
        var cases = new (object Body, string Field)[]
        {
            (new { name = "cam2\n", url = "rtsp://10.0.0.5/a" }, "name"),
            (new { name = "cam3\r", url = "rtsp://10.0.0.5/a" }, "name"),
            (new { name = "cam\u200b4", url = "rtsp://10.0.0.5/a" }, "name"),
            (new { name = "cam5", url = "rtsp://10.0.0.5/a%0a" }, "url"),
            (new { name = "cam6", url = "rtsp://10.0.0.5/a%E2%80%8B" }, "url"),
            (new { name = "cam7", url = $"http://127.0.0.1:{app.Config.Go2rtc.ApiPort}/api/stream.mp4?src=exec:id" }, "url"),
            (new { name = "cam8", url = $"http://[::ffff:127.0.0.1]:{web}/api/streams" }, "url"),
            (new { name = "cam9", url = $"rtsp://127.1:{app.Config.Go2rtc.WebrtcPort}/x" }, "url"),
            (new { name = "cam10", url = "rtsp://10.0.0.5/a", username = "ad\u202emin", password = "x" }, "username"),
            (new { name = "cam11", url = "rtsp://10.0.0.5/a", sub_url = "rtsp://10.0.0.5/b%0d" }, "sub_url"),
        };
        foreach (var (body, field) in cases)
        {
            var response = await app.Http.PostAsync("/api/streams", Json(body));
            var text = await response.Content.ReadAsStringAsync();
            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest).Because(text);
            await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/problem+json");
            using var doc = JsonDocument.Parse(text);
            await Assert.That(doc.RootElement.GetProperty("errors").TryGetProperty(field, out _)).IsTrue().Because(text);
        }
        await Assert.That(File.Exists(app.StreamsPath)).IsFalse();
        await Assert.That((await app.Go2rtcStreams()).Count).IsEqualTo(0);

        // go2rtc's own restream on its RTSP port stays allowed.
        var restream = await app.Http.PostAsync("/api/streams", Json(new { name = "again", url = $"rtsp://127.0.0.1:{app.Config.Go2rtc.RtspPort}/other" }));
        await Assert.That(restream.StatusCode).IsEqualTo(HttpStatusCode.Created);
    }

    [Test]
    public async Task Racing_adds_and_deletes_answer_only_what_was_stored()
    {
        await using var app = await new AppHarness().Start();
        await app.WaitReady();
        var failures = new List<string>();
        var created = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));

        async Task Adder(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var url = $"rtsp://10.0.{worker}.{i % 250 + 1}/s{i}";
                var response = await app.Http.PostAsync("/api/streams", Json(new { name = "race", url }));
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500) lock (failures) failures.Add($"add: {(int)response.StatusCode} '{text}'");
                if (response.StatusCode != HttpStatusCode.Created) continue;
                Interlocked.Increment(ref created);
                using var doc = JsonDocument.Parse(text);
                // The answer is the camera this request stored: its own URL, never another request's.
                if (doc.RootElement.GetProperty("url").GetString() != url || doc.RootElement.GetProperty("name").GetString() != "race")
                    lock (failures) failures.Add($"add answered {text} for {url}");
            }
        }
        async Task Deleter()
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await app.Http.DeleteAsync("/api/streams/race");
                if ((int)response.StatusCode >= 500) lock (failures) failures.Add($"delete: {(int)response.StatusCode}");
            }
        }
        await Task.WhenAll(Adder(1), Adder(2), Deleter(), Deleter());

        Console.WriteLine($"racing add/delete: {created} adds answered 201, {failures.Count} failures");
        await Assert.That(failures).IsEmpty();
        await Assert.That(created).IsGreaterThan(0);
        // What the API lists now is what the file holds.
        var file = StreamsFile.Load(app.StreamsPath);
        using var list = JsonDocument.Parse(await app.Http.GetStringAsync("/api/streams"));
        var listed = list.RootElement.GetProperty("cameras").EnumerateArray().Select(c => c.GetProperty("url").GetString() ?? "").ToList();
        await Assert.That(listed).IsEquivalentTo(file.Cameras.Select(c => c.Url).ToList());
    }
}
