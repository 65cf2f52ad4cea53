using LightNvr.Config;
using LightNvr.Streams;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Streams;

public class StreamsFileTests
{
    private static string Dump(Camera c) => string.Join("|", c.Name, c.Url, c.Username ?? "<null>", c.Password ?? "<null>",
        c.SubUrl ?? "<null>", c.Enabled, c.Watch, c.Backchannel?.ToString() ?? "<null>", c.Timeout?.ToString() ?? "<null>",
        c.Media ?? "<null>", c.Transport ?? "<null>", c.Video ?? "<null>", c.Audio ?? "<null>", c.Hardware ?? "<null>", c.Preload,
        c.Detect is null ? "<no detect>" : string.Join(",", c.Detect.Url, c.Detect.IntervalMs, c.Detect.Threshold,
            string.Join("+", c.Detect.Labels), c.Detect.Webhook ?? "<null>"));

    private static List<Camera> Sample() =>
    [
        new()
        {
            Name = "front_door", Url = "rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=0", Username = "admin",
            Password = "p@ss#1%;+ word", SubUrl = "rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=1",
            Backchannel = false, Timeout = 30, Media = "video,audio", Transport = "tcp", Video = "h264", Audio = "aac,opus",
            Hardware = "true", Preload = true, Watch = false,
            Detect = new DetectSettings { Url = "http://127.0.0.1:9000/detect", IntervalMs = 500, Threshold = "0.7", Labels = ["person", "car"], Webhook = "https://h/x" },
        },
        new() { Name = "yard", Url = "http://10.0.0.6/mjpeg", Username = "null", Password = "~", Enabled = false },
        new() { Name = "p1", Url = "rtsp://h/1", Username = "true", Password = "123" },
        new() { Name = "p2", Url = "rtsp://h/2", Username = "- x", Password = " lead and trail " },
        new() { Name = "p3", Url = "rtsp://h/3", Username = "u", Password = "#: {[\"'&*!|>%@`" },
        new() { Name = "p4", Url = "rtsp://h/4", Username = "u", Password = "Sentinel-Pw-91", Hardware = "vaapi", Video = "h265" },
    ];

    [Test]
    public async Task Load_save_load_gives_equal_cameras_and_mode_0600()
    {
        using var dir = new TempDir();
        var path = dir.File(StreamsFile.FileName);
        var cameras = Sample();
        StreamsFile.Save(path, cameras);
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var first = StreamsFile.Load(path);
        await Assert.That(first.Errors).IsEmpty().Because(string.Join("\n", first.Errors) + "\n" + File.ReadAllText(path));
        await Assert.That(first.Cameras.Select(Dump).ToArray()).IsEquivalentTo(cameras.Select(Dump).ToArray());

        StreamsFile.Save(path, first.Cameras);
        var second = StreamsFile.Load(path);
        await Assert.That(second.Cameras.Select(Dump).ToArray()).IsEquivalentTo(cameras.Select(Dump).ToArray());
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task Saving_over_a_world_readable_file_makes_it_0600()
    {
        using var dir = new TempDir();
        var path = dir.Write(StreamsFile.FileName, "cameras: []\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        StreamsFile.Save(path, Sample());
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task Written_file_leaves_out_unset_fields_and_is_readable_by_people()
    {
        var text = StreamsFile.Serialize([new Camera { Name = "a", Url = "rtsp://h/x" }]);
        await Assert.That(text).StartsWith("# LightNVR camera list.");
        await Assert.That(text).Contains("cameras:");
        await Assert.That(text).Contains("name: a");
        await Assert.That(text).Contains("url: rtsp://h/x");
        await Assert.That(text).DoesNotContain("username");
        await Assert.That(text).DoesNotContain("detect");
        await Assert.That(text).DoesNotContain("sub_url");
    }

    [Test]
    public async Task Missing_file_is_an_empty_readable_list_and_the_path_is_beside_lightnvr_yaml()
    {
        using var dir = new TempDir();
        var load = StreamsFile.Load(dir.File("streams.yaml"));
        await Assert.That((load.Cameras.Count, load.Errors.Count, load.Readable)).IsEqualTo((0, 0, true));
        await Assert.That(StreamsFile.PathBeside(dir.File("lightnvr.yaml"))).IsEqualTo(dir.File("streams.yaml"));
    }

    [Test]
    public async Task The_documented_example_loads()
    {
        var load = StreamsFile.Parse("""
            cameras:
              - name: front_door
                url: rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=0
                username: admin
                password: "p@ss#1"
                sub_url: rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=1
                transport: tcp
                backchannel: false
              - name: garden
                url: http://10.0.0.6/video.mjpeg
                video: h264
                enabled: false
            """, "streams.yaml");
        await Assert.That(load.Errors).IsEmpty().Because(string.Join("\n", load.Errors));
        await Assert.That(load.Cameras.Select(c => c.Name).ToArray()).IsEquivalentTo(new[] { "front_door", "garden" });
        await Assert.That(load.Cameras[0].Password).IsEqualTo("p@ss#1");
    }
}
