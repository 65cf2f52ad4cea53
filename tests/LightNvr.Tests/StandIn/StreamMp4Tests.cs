using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LightNvr.Tests.StandIn;

/// <summary>
/// <c>/api/stream.mp4</c> serves real fragmented MP4 (the recorder and the MSE player read it):
/// ftyp and moov first, then moof/mdat pairs, and <c>duration</c> ends the body after that much media.
/// </summary>
[NotInParallel]
public class StreamMp4Tests
{
    private const string TestStream = "streams:\n  test: exec:ffmpeg -hide_banner -re -f lavfi -i testsrc -c:v libx264 -f rtsp {output}\n";

    [Test]
    public async Task Duration_2_gives_a_fragmented_mp4_of_about_2_seconds_and_then_ends()
    {
        await using var g = Go2rtcProcess.Start(TestStream);
        await Assert.That(await g.WaitForApi(TimeSpan.FromSeconds(10))).IsTrue();

        // Read to the end under a deadline: a body that never ends fails here instead of hanging.
        var r = await g.Http("GET", "/api/stream.mp4?src=test&duration=2", TimeSpan.FromSeconds(30));

        await Assert.That(r.Status).IsEqualTo(200);
        await Assert.That(r.Headers["Content-Type"]).StartsWith("video/mp4; codecs=\"avc1.");
        var boxes = TopLevelBoxes(r.Body);
        await Assert.That(boxes.Take(2)).IsEquivalentTo(new[] { "ftyp", "moov" });
        await Assert.That(boxes.Count(b => b == "moof")).IsGreaterThan(2);
        await Assert.That(boxes.Skip(2).Where((_, i) => i % 2 == 0).All(b => b == "moof")).IsTrue();
        await Assert.That(boxes.Skip(2).Where((_, i) => i % 2 == 1).All(b => b == "mdat")).IsTrue();
        var seconds = await ProbeDuration(r.Body);
        await Assert.That(seconds).IsBetween(1.5, 2.6);
    }

    [Test]
    public async Task An_unknown_stream_is_404_stream_not_found()
    {
        await using var g = Go2rtcProcess.Start(TestStream);
        await Assert.That(await g.WaitForApi(TimeSpan.FromSeconds(10))).IsTrue();

        var r = await g.Http("GET", "/api/stream.mp4?src=nope&duration=1");

        await Assert.That(r.Status).IsEqualTo(404);
        await Assert.That(r.Text.Trim()).IsEqualTo("stream not found");
    }

    /// <summary>The type of each top-level ISO BMFF box; throws on a size that runs past the end.</summary>
    private static List<string> TopLevelBoxes(byte[] mp4)
    {
        var types = new List<string>();
        for (int i = 0; i < mp4.Length;)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(mp4.AsSpan(i));
            if (size < 8 || i + size > mp4.Length) throw new InvalidDataException($"box at {i} has size {size} of {mp4.Length}");
            types.Add(Encoding.ASCII.GetString(mp4, i + 4, 4));
            i += (int)size;
        }
        return types;
    }

    private static async Task<double> ProbeDuration(byte[] mp4)
    {
        var file = Path.Combine(Path.GetTempPath(), $"stream-mp4-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, mp4);
        try
        {
            var psi = new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file])
            { RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var text = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        finally { File.Delete(file); }
    }
}
