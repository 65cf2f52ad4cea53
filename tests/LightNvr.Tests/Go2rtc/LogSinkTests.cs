using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Go2rtc;

public class LogSinkTests
{
    [Test]
    public async Task Rotation_keeps_the_disk_bounded_and_the_ring_keeps_the_newest_lines()
    {
        using var dir = new TempDir();
        var path = dir.File("go2rtc.log");
        using (var sink = new LogSink(path, maxBytes: 64 * 1024, keep: 3, ringLines: 100))
        {
            for (var i = 0; i < 20_000; i++) sink.Write($"{i:D6} INF [streams] line with some padding to look like go2rtc output");
            var recent = sink.Recent();
            await Assert.That(recent.Count).IsEqualTo(100);
            await Assert.That(recent[^1]).StartsWith("019999");
            await Assert.That(recent[0]).StartsWith("019900");
        }
        var files = Directory.GetFiles(dir.Path, "go2rtc.log*");
        await Assert.That(files.Length).IsEqualTo(3);
        await Assert.That(files.Sum(f => new FileInfo(f).Length)).IsLessThanOrEqualTo(3 * 64 * 1024);
        await Assert.That(File.ReadLines(path).Last()).StartsWith("019999");
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task Credentials_are_redacted_before_the_file_and_the_ring()
    {
        using var dir = new TempDir();
        var path = dir.File("go2rtc.log");
        using (var sink = new LogSink(path))
        {
            sink.Write("ERR mjpeg.go:82 > error=\"streams: dial tcp: rtsp://admin:Sentinel-Pw1@10.0.0.5/x\"");
            await Assert.That(string.Join("\n", sink.Recent())).DoesNotContain("Sentinel-Pw1");
        }
        await Assert.That(File.ReadAllText(path)).DoesNotContain("Sentinel-Pw1");
        await Assert.That(File.ReadAllText(path)).Contains("rtsp://***@10.0.0.5/x");
    }
}
