using LightNvr.Config;

namespace LightNvr.Tests.Recording;

/// <summary>record.dir: absolute, never the boot partition; the error names the field and the reason.</summary>
public class RecordDirRuleTests
{
    [Test]
    [Arguments("/media/usb/recordings", null)]
    [Arguments("/var/lib/lightnvr/recordings", null)]
    [Arguments("/boot/firmware", "boot partition")]
    [Arguments("/boot/firmware/rec", "boot partition")]
    [Arguments("/boot/firmware/../firmware/rec", "boot partition")]
    [Arguments("/boot", "boot partition")]
    [Arguments("/bootstrap/rec", null)]
    [Arguments("recordings", "relative path")]
    [Arguments("./rec", "relative path")]
    [Arguments("", "found nothing")]
    [Arguments("/", "root directory")]
    public async Task Judges_the_directory(string dir, string? reason)
    {
        var problem = RecordRules.DirProblem(dir);
        if (reason is null) await Assert.That(problem).IsNull();
        else await Assert.That(problem).Contains(reason);
    }

    [Test]
    public async Task The_config_names_the_field_with_line_and_reason()
    {
        var yaml = "record:\n  dir: /boot/firmware/rec\n  segment_seconds: 1\n  min_free_percent: 0\n";
        var errors = ConfigLoader.Parse(yaml, "lightnvr.yaml", "/tmp").Errors;
        var dir = errors.Single(e => e.Path == "record.dir");
        await Assert.That(dir.Line).IsEqualTo(2);
        await Assert.That(dir.Message).Contains("boot partition");
        await Assert.That(errors.Select(e => e.Path)).Contains("record.segment_seconds");
        await Assert.That(errors.Select(e => e.Path)).Contains("record.min_free_percent");
    }

    [Test]
    public async Task A_camera_records_only_when_asked()
    {
        var parsed = LightNvr.Streams.StreamsFile.Parse("cameras:\n  - name: a\n    url: rtsp://10.0.0.5/x\n  - name: b\n    url: rtsp://10.0.0.6/x\n    record: true\n", "streams.yaml");
        await Assert.That(parsed.Cameras.Select(c => c.Record)).IsEquivalentTo([false, true]);
    }
}
