using LightNvr.Streams;

namespace LightNvr.Tests.Streams;

public class CameraRulesTests
{
    private const string Sentinel = "Sentinel-Pw-91";

    private static StreamsLoad Load(string yaml) => StreamsFile.Parse(yaml, "streams.yaml");

    private static string Cam(string body) => "cameras:\n  - name: ok\n    url: rtsp://10.0.0.9/ok\n  - " + body.Replace("\n", "\n    ") + "\n";

    [Test]
    [Arguments("rtsp://10.0.0.5:554/ch1")]
    [Arguments("rtsps://cam.local/ch1")]
    [Arguments("rtspx://192.168.1.1:7441/abc")]
    [Arguments("rtmp://10.0.0.5/live/cam")]
    [Arguments("http://10.0.0.5/mjpeg?x=1&y=2")]
    [Arguments("https://cam.example.org/snap.jpg")]
    [Arguments("onvif://10.0.0.5:8000?subtype=MainStreamProfileToken")]
    [Arguments("rtsp://[fe80::1]:554/ch1")]
    [Arguments("ffmpeg:rtsp://10.0.0.5/ch1")]
    [Arguments("ffmpeg:front_door")]
    [Arguments("rtsp://10.0.0.5/ch%201")]
    public async Task Accepted_urls(string url)
    {
        await Assert.That(UrlRules.UrlProblem(url)).IsNull();
    }

    [Test]
    [Arguments("exec:ffmpeg -i x", "exec: sources make go2rtc run commands")]
    [Arguments("ffmpeg:rtsp://h/x -f null", "contains whitespace")]
    [Arguments("exec:/bin/sh", "exec: sources make go2rtc run commands")]
    [Arguments("EXEC:/bin/sh", "exec: sources make go2rtc run commands")]
    [Arguments("echo:/bin/true", "echo: sources make go2rtc run commands")]
    [Arguments("expr:let x=1", "expr: sources make go2rtc run commands")]
    [Arguments("ffmpeg:exec:/bin/sh", "ffmpeg input: exec: sources make go2rtc run commands")]
    [Arguments("ffmpeg:rtsp://10.0.0.5/ch1#raw=-f%20null", "#raw= passes arbitrary arguments to ffmpeg")]
    [Arguments("ffmpeg:rtsp://10.0.0.5/ch1#input=file", "#input= passes an arbitrary ffmpeg input")]
    [Arguments("rtsp://10.0.0.5/ch1#backchannel=0", "go2rtc parameters come from the camera's fields")]
    [Arguments("rtsp://10.0.0.5/ch1#noaudio", "go2rtc parameters come from the camera's fields")]
    [Arguments("rtsp://10.0.0.5/ch 1", "contains whitespace")]
    [Arguments("rtsp://10.0.0.5/ch1\t", "control character")]
    [Arguments("rtsp://10.0.0.5/ch1\n", "control character")]
    [Arguments("rtsp://10.0.0.5/ch1\u00a0", "contains whitespace")]
    [Arguments("rtsp://10.0.0.5/ch1\u0000", "control character")]
    [Arguments("file:///etc/passwd", "unsupported scheme 'file'")]
    [Arguments("tapo://10.0.0.5", "unsupported scheme 'tapo'")]
    [Arguments("RTSP://10.0.0.5/ch1", "write the scheme in lower case")]
    [Arguments("10.0.0.5/ch1", "has no scheme")]
    [Arguments("rtsp:10.0.0.5", "cannot be parsed as a URL")]
    [Arguments("rtsp:///ch1", "has no host")]
    [Arguments("rtsp://:554/ch1", "has no host")]
    [Arguments("rtsp://bad_host!/ch1", "invalid host name")]
    [Arguments("rtsp://10.0.0.5:99999/ch1", "invalid port")]
    [Arguments("rtsp://10.0.0.5:x/ch1", "invalid port")]
    [Arguments("rtsp://[zz::1]/ch1", "invalid IPv6 host")]
    [Arguments("rtsp://10.0.0.5/ch%zz", "not followed by two hex digits")]
    [Arguments("ffmpeg:onvif://10.0.0.5", "an ffmpeg: source reads a stream name or a")]
    [Arguments("ffmpeg:ffmpeg:cam", "cannot read another ffmpeg: source")]
    [Arguments("ffmpeg:/etc/passwd", "an ffmpeg: source reads a stream name or a")]
    [Arguments("", "found nothing")]
    public async Task Hostile_and_broken_urls_are_refused_with_a_named_reason(string url, string reason)
    {
        await Assert.That(UrlRules.UrlProblem(url)).IsNotNull().And.Contains(reason);
    }

    [Test]
    public async Task A_url_over_2048_bytes_is_refused_and_2048_is_accepted()
    {
        const string prefix = "rtsp://10.0.0.5/";
        await Assert.That(UrlRules.UrlProblem(prefix + new string('a', 2048 - prefix.Length))).IsNull();
        await Assert.That(UrlRules.UrlProblem(prefix + new string('a', 2049 - prefix.Length)))
            .IsEqualTo("the URL is 2049 bytes, the limit is 2048");
        // Bytes, not characters: 1000 two-byte characters make 2000 bytes.
        await Assert.That(UrlRules.UrlProblem(prefix + new string('é', 1020))).Contains("bytes, the limit is 2048");
    }

    [Test]
    [Arguments("front_door", null)]
    [Arguments("a", null)]
    [Arguments("cam-2", null)]
    [Arguments("Front", "expected 1-64 characters a-z")]
    [Arguments("front door", "expected 1-64 characters a-z")]
    [Arguments("cam:1", "expected 1-64 characters a-z")]
    [Arguments("cam#1", "expected 1-64 characters a-z")]
    [Arguments("cam.1", "expected 1-64 characters a-z")]
    [Arguments("front_sub", "reserved for sub streams")]
    [Arguments("", "found nothing")]
    public async Task Names(string name, string? reason)
    {
        var problem = CameraRules.NameProblem(name);
        if (reason is null) await Assert.That(problem).IsNull();
        else await Assert.That(problem).IsNotNull().And.Contains(reason);
    }

    [Test]
    public async Task Names_longer_than_64_are_refused()
    {
        await Assert.That(CameraRules.NameProblem(new string('a', 64))).IsNull();
        await Assert.That(CameraRules.NameProblem(new string('a', 65))).IsNotNull();
    }

    [Test]
    [Arguments("name: x\nurl: rtsp://u:p@10.0.0.5/ch1\nusername: admin", "cameras[1].url", "credentials are both in the URL and in username/password")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nsub_url: rtsp://u:p@10.0.0.5/ch2\nusername: admin", "cameras[1].sub_url", "credentials are both")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\npassword: secret", "cameras[1].password", "a password needs a username")]
    [Arguments("name: x\nurl: ffmpeg:front\nusername: admin", "cameras[1].username", "credentials need a URL")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ntransport: quic", "cameras[1].transport", "expected one of tcp, udp, found 'quic'")]
    [Arguments("name: x\nurl: http://10.0.0.5/mjpeg\ntransport: tcp", "cameras[1].transport", "applies only to rtsp://, rtsps:// and rtspx:// URLs")]
    [Arguments("name: x\nurl: onvif://10.0.0.5\nbackchannel: false", "cameras[1].backchannel", "applies only to rtsp://")]
    [Arguments("name: x\nurl: ffmpeg:rtsp://10.0.0.5/ch1\nmedia: video", "cameras[1].media", "applies only to rtsp://")]
    [Arguments("name: x\nurl: rtmp://10.0.0.5/live\ntimeout: 10", "cameras[1].timeout", "applies only to rtsp://")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ntimeout: 0", "cameras[1].timeout", "expected 1-3600 s, found 0")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ntransport: udp\ntimeout: 30", "cameras[1].timeout", "with transport udp a timeout under 60 s")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nmedia: audio,video", "cameras[1].media", "expected one of video, audio, video,audio")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nvideo: vp9", "cameras[1].video", "expected one or more of h264, h265, mjpeg, copy")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nvideo: copy", "cameras[1].video", "copy only makes sense on an ffmpeg: URL")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\naudio: aac,aac", "cameras[1].audio", "lists a codec twice")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\naudio: flac", "cameras[1].audio", "expected one or more of aac")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\naudio: opus\nmedia: video", "cameras[1].audio", "an audio transcode needs audio")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nhardware: gpu\nvideo: h264", "cameras[1].hardware", "expected true, false or one of vaapi")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nhardware: true", "cameras[1].hardware", "set video too")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nsub_url: exec:/bin/sh", "cameras[1].sub_url", "exec: sources make go2rtc run commands")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ndetect: { interval_ms: 1000 }", "cameras[1].detect.url", "expected the detector's http:// or https:// URL")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ndetect: { url: 'rtsp://d/x' }", "cameras[1].detect.url", "expected an http:// or https:// URL")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ndetect: { url: 'http://d/x', threshold: 1.5 }", "cameras[1].detect.threshold", "expected a number from 0 to 1, found '1.5'")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ndetect: { url: 'http://d/x', threshold: half }", "cameras[1].detect.threshold", "expected a number from 0 to 1")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ndetect: { url: 'http://d/x', interval_ms: 10 }", "cameras[1].detect.interval_ms", "expected 100-3600000 ms, found 10")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ndetect: { url: 'http://d/x', labels: [person, 'a b'] }", "cameras[1].detect.labels[1]", "without spaces")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ndetect: { url: 'http://d/x', webhook: 'ftp://h/' }", "cameras[1].detect.webhook", "unsupported scheme 'ftp'")]
    [Arguments("name: ok\nurl: rtsp://10.0.0.5/ch1", "cameras[1].name", "name 'ok' is already used by cameras[0]")]
    [Arguments("name: Bad Name\nurl: rtsp://10.0.0.5/ch1", "cameras[1].name", "expected 1-64 characters")]
    [Arguments("name: x", "cameras[1].url", "expected a camera URL")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\nenabeld: false", "cameras[1].enabeld", "did you mean `enabled`?")]
    [Arguments("name: x\nurl: rtsp://10.0.0.5/ch1\ntimeout: soon", "cameras[1].timeout", "expected a whole number")]
    public async Task Each_rule_names_the_field_and_refuses_only_its_camera(string body, string path, string reason)
    {
        var load = Load(Cam(body));
        await Assert.That(load.Errors.Any(e => e.Path == path && e.Message.Contains(reason)))
            .IsTrue().Because(string.Join("\n", load.Errors));
        // The other camera is untouched; the refused one is not handed out.
        await Assert.That(load.Cameras.Select(c => c.Name).ToArray()).IsEquivalentTo(new[] { "ok" });
        await Assert.That(load.Readable).IsTrue();
    }

    [Test]
    public async Task Errors_carry_file_line_and_column_of_the_field()
    {
        var load = Load("cameras:\n  - name: a\n    url: rtsp://10.0.0.5/x#raw=1\n");
        var error = load.Errors.Single();
        await Assert.That(error.ToString()).StartsWith("streams.yaml:3:10: cameras[0].url: #raw= passes arbitrary arguments");
    }

    [Test]
    public async Task A_valid_camera_passes_with_every_parameter()
    {
        var load = Load("""
            cameras:
              - name: front_door
                url: rtsp://10.0.0.5:554/ch1
                username: admin
                password: "p@ss#1"
                sub_url: rtsp://10.0.0.5:554/ch2
                enabled: true
                watch: false
                backchannel: true
                timeout: 30
                media: video,audio
                transport: tcp
                video: h264
                audio: aac,opus
                hardware: vaapi
                preload: true
                detect:
                  url: http://127.0.0.1:9000/detect
                  interval_ms: 500
                  threshold: 0.7
                  labels: [person, car]
                  webhook: https://hooks.example.org/x
            """);
        await Assert.That(load.Errors).IsEmpty().Because(string.Join("\n", load.Errors));
        var c = load.Cameras.Single();
        await Assert.That(c.Watch).IsFalse();
        await Assert.That(c.Detect!.ThresholdValue()).IsEqualTo(0.7);
        await Assert.That(c.Hardware).IsEqualTo("vaapi");
    }

    [Test]
    public async Task Defaults_of_an_entry_with_only_name_and_url()
    {
        var c = Load("cameras:\n  - name: a\n    url: rtsp://10.0.0.5/x\n    detect: { url: 'http://d/x' }\n").Cameras.Single();
        await Assert.That((c.Enabled, c.Watch, c.Preload)).IsEqualTo((true, true, false));
        await Assert.That((c.Backchannel, c.Timeout, c.Media, c.Transport)).IsEqualTo(((bool?)null, (int?)null, (string?)null, (string?)null));
        await Assert.That((c.Detect!.IntervalMs, c.Detect.ThresholdValue())).IsEqualTo((1000, (double?)0.5));
    }

    [Test]
    public async Task A_non_section_entry_is_refused_and_later_entries_keep_their_index()
    {
        var load = Load("cameras:\n  - name: a\n    url: rtsp://10.0.0.5/a\n  - just text\n  - name: c\n    url: rtsp://10.0.0.5/c#x=1\n  - name: d\n    url: rtsp://10.0.0.5/d\n");
        await Assert.That(load.Cameras.Select(c => c.Name).ToArray()).IsEquivalentTo(new[] { "a", "d" });
        var paths = load.Errors.Select(e => e.Path).ToArray();
        await Assert.That(paths).Contains("cameras[1]");
        await Assert.That(paths).Contains("cameras[2].url");
        await Assert.That(load.RefusedNames.ToArray()).IsEquivalentTo(new[] { "c" });
    }

    [Test]
    public async Task Broken_syntax_or_a_non_list_makes_the_file_unreadable_not_empty()
    {
        await Assert.That(Load("cameras: [\n").Readable).IsFalse();
        await Assert.That(Load("cameras: some text\n").Readable).IsFalse();
        await Assert.That(Load("- a\n- b\n").Readable).IsFalse();
        await Assert.That(Load("").Readable).IsTrue();
        await Assert.That(Load("").Cameras).IsEmpty();
    }

    [Test]
    public async Task The_sentinel_password_never_appears_in_an_error()
    {
        var yaml = $"""
            cameras:
              - name: a
                url: rtsp://admin:{Sentinel}@10.0.0.5/x#raw=1
              - name: b
                url: rtsp://admin:{Sentinel}@10.0.0.5/x
                username: admin
                password: {Sentinel}
              - name: c
                url: tapo://admin:{Sentinel}@10.0.0.5
              - name: d
                url: rtsp://admin:{Sentinel}@10.0.0.5/x y
              - name: e
                url: http://10.0.0.5/x
                username: admin
                password: {Sentinel}
                transport: tcp
              - name: f
                url: rtsp://10.0.0.5/x
                detect: {"{"} url: "http://u:{Sentinel}@h/x", threshold: 2 {"}"}
              - name: g
                url: "RTSP://u:{Sentinel}@h/x"
              - name: h
                url: rtsp://10.0.0.5/x
                password: "{Sentinel}"
            """;
        var load = Load(yaml);
        await Assert.That(load.Errors.Count).IsGreaterThanOrEqualTo(8);
        foreach (var e in load.Errors) await Assert.That(e.ToString()).DoesNotContain(Sentinel);
    }
}
