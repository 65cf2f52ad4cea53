using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Streams;

/// <summary>The camera list against a real go2rtc process (stand-in, or GO2RTC_BINARY), through the real endpoint.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class StreamsIntegrationTests
{
    private const string Sentinel = "Sentinel-Pw-91";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Camera(string name, string url, string extra = "") =>
        $"{{\"name\":\"{name}\",\"url\":\"{url}\"{extra}}}";

    [Test]
    public async Task Add_change_disable_and_remove_reach_go2rtc_without_a_restart()
    {
        await using var app = await new AppHarness().Start();
        var ready = await app.WaitReady();

        var add = await app.Http.PostAsync("/api/streams", Json(Camera("door", "rtsp://127.0.0.5:554/main")));
        await Assert.That(add.StatusCode).IsEqualTo(HttpStatusCode.Created);
        var streams = await app.WaitGo2rtcStreams(["door"]);
        await Assert.That(streams["door"].Single()).IsEqualTo("rtsp://127.0.0.5:554/main");

        var change = await app.Http.PutAsync("/api/streams/door", Json(Camera("door", "rtsp://127.0.0.6:554/main", ",\"sub_url\":\"rtsp://127.0.0.6:554/sub\"")));
        await Assert.That(change.StatusCode).IsEqualTo(HttpStatusCode.Created);
        streams = await app.WaitGo2rtcStreams(["door", "door_sub"]);
        await Wait.Until(async () => (await app.Go2rtcStreams())["door"].SequenceEqual(["rtsp://127.0.0.6:554/main"]) ? "" : null,
            TimeSpan.FromSeconds(10), "door's new source");
        await Assert.That((await app.Go2rtcStreams())["door_sub"].Single()).Contains("rtsp://127.0.0.6:554/sub");

        var disable = await app.Http.PutAsync("/api/streams/door", Json(Camera("door", "rtsp://127.0.0.6:554/main", ",\"enabled\":false")));
        await Assert.That(disable.StatusCode).IsEqualTo(HttpStatusCode.Created);
        await app.WaitGo2rtcStreams([]);
        var view = await app.Http.GetFromJsonAsync<JsonElement>("/api/streams/door");
        await Assert.That(view.GetProperty("state").GetString()).IsEqualTo("disabled");

        await app.Http.PutAsync("/api/streams/door", Json(Camera("door", "rtsp://127.0.0.6:554/main")));
        await app.WaitGo2rtcStreams(["door"]);
        var remove = await app.Http.DeleteAsync("/api/streams/door");
        await Assert.That(remove.StatusCode).IsEqualTo(HttpStatusCode.NoContent);
        await app.WaitGo2rtcStreams([]);
        await Assert.That((await app.Http.GetAsync("/api/streams/door")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        // go2rtc was never restarted for any of it.
        await Assert.That(app.Supervisor.Status.Pid).IsEqualTo(ready.Pid);
        await Assert.That(app.Supervisor.Status.Generation).IsEqualTo(ready.Generation);
        // And the file holds the list, mode 0600.
        await Assert.That(File.GetUnixFileMode(app.StreamsPath)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task Sixteen_cameras_are_registered_again_after_kill_minus_9()
    {
        var yaml = "cameras:\n" + string.Concat(Enumerable.Range(1, 16).Select(i =>
            $"  - name: cam{i:D2}\n    url: rtsp://127.0.1.{i}:554/stream\n    username: admin\n    password: \"{Sentinel}\"\n"));
        await using var app = await new AppHarness(yaml).Start();
        var names = Enumerable.Range(1, 16).Select(i => $"cam{i:D2}").ToList();
        var first = await app.WaitReady();
        await app.WaitGo2rtcStreams(names);
        Console.WriteLine($"start: go2rtc ready → 16 streams registered (verified by the reconcile pass): {app.Sync.LastRegistrationMs} ms");

        var watch = Stopwatch.StartNew();
        Mono.Unix.Native.Syscall.kill(first.Pid!.Value, Mono.Unix.Native.Signum.SIGKILL);
        var second = await app.WaitReady(first.Generation);
        var streams = await app.WaitGo2rtcStreams(names);
        Console.WriteLine($"kill -9 → new go2rtc ready with 16 streams: {watch.ElapsedMilliseconds} ms (ready → registered {app.Sync.LastRegistrationMs} ms)");
        await Assert.That(second.Pid).IsNotEqualTo(first.Pid);
        await Assert.That(streams["cam07"].Single()).IsEqualTo($"rtsp://admin:{Sentinel}@127.0.1.7:554/stream");
        var list = await app.Http.GetStringAsync("/api/streams");
        await Assert.That(list).DoesNotContain(Sentinel);
        using var doc = JsonDocument.Parse(list);
        await Assert.That(doc.RootElement.GetProperty("cameras").EnumerateArray().All(c => c.GetProperty("state").GetString() == "registered")).IsTrue();
        await Assert.That(doc.RootElement.GetProperty("cameras")[0].GetProperty("password_set").GetBoolean()).IsTrue();
    }

    [Test]
    public async Task A_password_with_every_awkward_character_reaches_go2rtc_exactly()
    {
        const string password = "p@ss#1%;+ word";
        await using var app = await new AppHarness().Start();
        await app.WaitReady();
        var body = Camera("tricky", "rtsp://127.0.0.9:554/live", ",\"username\":\"ad:min\",\"password\":" + JsonSerializer.Serialize(password));
        var add = await app.Http.PostAsync("/api/streams", Json(body));
        await Assert.That(add.StatusCode).IsEqualTo(HttpStatusCode.Created);
        var source = (await app.WaitGo2rtcStreams(["tricky"]))["tricky"].Single();
        // go2rtc parses the URL with Go's url.Parse: userinfo is percent-decoded once.
        var userInfo = new Uri(source).UserInfo.Split(':');
        await Assert.That(Uri.UnescapeDataString(userInfo[0])).IsEqualTo("ad:min");
        await Assert.That(Uri.UnescapeDataString(userInfo[1])).IsEqualTo(password);
        await Assert.That(new Uri(source).Host).IsEqualTo("127.0.0.9");
        await Assert.That(await add.Content.ReadAsStringAsync()).DoesNotContain("p@ss");
    }

    [Test]
    [Arguments("exec:ffmpeg -i rtsp://x -f rtsp {output}", "url")]
    [Arguments("echo:hello", "url")]
    [Arguments("expr:let x = 1", "url")]
    [Arguments("rtsp://127.0.0.5/a#raw=-vf drawtext", "url")]
    [Arguments("ffmpeg:rtsp://127.0.0.5/a#input=-re -i x", "url")]
    [Arguments("rtsp://127.0.0.5/a b", "url")]
    [Arguments("rtsp://user:pw@127.0.0.5/a\",\"username\":\"user\",\"password\":\"pw", "url")]
    public async Task Hostile_sources_are_refused_by_field_and_never_reach_go2rtc(string url, string field)
    {
        await using var app = await new AppHarness("cameras:\n  - name: good\n    url: rtsp://127.0.0.1/ok\n").Start();
        await app.WaitReady();
        await app.WaitGo2rtcStreams(["good"]);
        var response = await app.Http.PostAsync("/api/streams", Json(Camera("bad", url.Replace("\"", "\\\"").Replace("\\\",\\\"username\\\":\\\"user\\\",\\\"password\\\":\\\"pw", "\",\"username\":\"user\",\"password\":\"pw"))));
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors");
        await Assert.That(errors.TryGetProperty(field, out var messages)).IsTrue().Because(errors.ToString());
        await Assert.That(messages[0].GetString()!.Length).IsGreaterThan(10);
        await Assert.That((await app.Go2rtcStreams()).Keys.ToList()).IsEquivalentTo(new[] { "good" });
    }

    [Test]
    public async Task A_refused_camera_in_the_file_does_not_disturb_the_others()
    {
        var yaml = $"cameras:\n  - name: ok1\n    url: rtsp://127.0.0.1/a\n  - name: evil\n    url: \"exec:sh -c reboot\"\n  - name: ok2\n    url: rtsp://127.0.0.2/a\n    password: {Sentinel}\n    username: u\n";
        await using var app = await new AppHarness(yaml).Start();
        await app.WaitReady();
        await app.WaitGo2rtcStreams(["ok1", "ok2"]);
        var list = await app.Http.GetStringAsync("/api/streams");
        using var doc = JsonDocument.Parse(list);
        var errors = doc.RootElement.GetProperty("file_errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        await Assert.That(errors.Any(e => e.Contains("cameras[1].url"))).IsTrue().Because(string.Join("\n", errors));
        await Assert.That(list).DoesNotContain(Sentinel);
        // While the file has errors the API does not rewrite it (that could drop the camera being fixed).
        var add = await app.Http.PostAsync("/api/streams", Json(Camera("third", "rtsp://127.0.0.3/a")));
        await Assert.That(add.StatusCode).IsEqualTo(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Editing_the_file_is_picked_up_without_restarting_go2rtc()
    {
        await using var app = await new AppHarness("cameras:\n  - name: a\n    url: rtsp://127.0.0.1/a\n").Start();
        var ready = await app.WaitReady();
        await app.WaitGo2rtcStreams(["a"]);
        File.WriteAllText(app.StreamsPath + ".new", "cameras:\n  - name: b\n    url: rtsp://127.0.0.2/b\n");
        File.Move(app.StreamsPath + ".new", app.StreamsPath, overwrite: true); // as an editor saves
        await app.WaitGo2rtcStreams(["b"]);
        await Assert.That(app.Supervisor.Status.Generation).IsEqualTo(ready.Generation);
    }

    [Test]
    public async Task Sighup_reloads_the_camera_list_in_the_real_process()
    {
        using var dir = new TempDir();
        var webPort = Ports.Free();
        var apiPort = Ports.Free();
        var config = dir.Write("lightnvr.yaml", $"web:\n  listen: 127.0.0.1\n  port: {webPort}\nstate_dir: {dir.Path}\ngo2rtc:\n  binary: {Go2rtcBinary.Path}\n" +
            $"  config_dir: {dir.Path}/go2rtc\n  api_port: {apiPort}\n  rtsp_port: {Ports.Free()}\n  webrtc_port: {Ports.Free()}\n");
        var streams = dir.Write("streams.yaml", "cameras:\n  - name: a\n    url: rtsp://127.0.0.1/a\n");
        await using var app = AppProcess.Start(config);
        using var http = new HttpClient();
        async Task<string?> Names()
        {
            try
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{apiPort}/api/streams"));
                return string.Join(",", doc.RootElement.EnumerateObject().Select(p => p.Name).Order());
            }
            catch (HttpRequestException) { return null; }
        }
        await Wait.Until(async () => await Names() == "a" ? "" : null, TimeSpan.FromSeconds(30), "stream a in go2rtc");
        // Written through a hard link in another directory: the file watcher does not see it, only SIGHUP can.
        Directory.CreateDirectory(Path.Combine(dir.Path, "elsewhere"));
        var link = Path.Combine(dir.Path, "elsewhere", "streams.yaml");
        Mono.Unix.Native.Syscall.link(streams, link);
        await using (var w = new FileStream(link, FileMode.Truncate, FileAccess.Write))
            await w.WriteAsync("cameras:\n  - name: b\n    url: rtsp://127.0.0.2/b\n"u8.ToArray());
        app.Signal(Mono.Unix.Native.Signum.SIGHUP);
        await Wait.Until(async () => await Names() == "b" ? "" : null, TimeSpan.FromSeconds(15), "stream b after SIGHUP");
        await Assert.That(app.Output).Contains("camera list loaded (SIGHUP)");
        await Assert.That(app.Process.HasExited).IsFalse();
    }
}
