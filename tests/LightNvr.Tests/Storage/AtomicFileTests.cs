using System.Diagnostics;
using LightNvr.Storage;
using LightNvr.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Tests.Storage;

public class AtomicFileTests
{
    [Test]
    public async Task Writes_content_with_the_requested_mode_whatever_the_umask()
    {
        using var dir = new TempDir();
        var path = dir.File("secret.yaml");
        AtomicFile.WriteAllText(path, "password: x\n");
        await Assert.That(File.ReadAllText(path)).IsEqualTo("password: x\n");
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        AtomicFile.WriteAllText(path, "public\n", open);
        await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(open);
        // Only the target remains: the temp file was renamed, not copied.
        await Assert.That(Directory.GetFiles(dir.Path)).Count().IsEqualTo(1);
    }

    [Test]
    public async Task A_temp_file_left_by_a_crash_does_not_block_the_next_write()
    {
        using var dir = new TempDir();
        var path = dir.File("a.yaml");
        dir.Write(".a.yaml.tmp", "half-writ");
        AtomicFile.WriteAllText(path, "whole\n");
        await Assert.That(File.ReadAllText(path)).IsEqualTo("whole\n");
        await Assert.That(File.Exists(dir.File(".a.yaml.tmp"))).IsFalse();
    }

    [Test]
    public async Task Concurrent_writers_in_one_process_never_interleave()
    {
        using var dir = new TempDir();
        var path = dir.File("c.yaml");
        await Parallel.ForAsync(1, 41, async (i, _) =>
        {
            AtomicFile.WriteAllText(path, AtomicWriterChild.Content(i));
            await Task.Yield();
        });
        var text = File.ReadAllText(path);
        await Assert.That(text).IsEqualTo(AtomicWriterChild.Content(AtomicWriterChild.Version(path)));
    }

    /// <summary>
    /// The honest test: a child rewrites the file in a loop and is SIGKILLed at random moments. After
    /// every kill the file parses as YAML and equals exactly one complete version, old or new.
    /// </summary>
    [Test]
    public async Task A_writer_killed_at_random_moments_leaves_the_old_or_the_new_file()
    {
        using var dir = new TempDir();
        var path = dir.File("config.yaml");
        AtomicFile.WriteAllText(path, AtomicWriterChild.Content(0));
        var random = new Random(20261125);
        var (file, args) = ChildModes.Self();
        var versionsSeen = new HashSet<long>();
        var killedMidWrite = 0;
        const int kills = 25;
        for (var k = 0; k < kills; k++)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment[ChildModes.Variable] = "atomic-writer";
            start.Environment["LIGHTNVR_TEST_FILE"] = path;
            using var child = Process.Start(start)!;
            await Assert.That(await child.StandardOutput.ReadLineAsync()).IsEqualTo("writing");
            await Task.Delay(random.Next(0, 60));
            child.Kill();
            await child.WaitForExitAsync();

            if (File.Exists(dir.File(".config.yaml.tmp"))) killedMidWrite++;
            var text = File.ReadAllText(path);
            new YamlStream().Load(new StringReader(text)); // parses
            var version = AtomicWriterChild.Version(path);
            await Assert.That(text).IsEqualTo(AtomicWriterChild.Content(version));
            await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            versionsSeen.Add(version);
        }
        // Every child completed at least one write before its kill, so each kill shows a new version;
        // and the kills really landed mid-write (a half-written temp file was left behind) several times.
        await Assert.That(versionsSeen.Count).IsEqualTo(kills);
        await Assert.That(killedMidWrite).IsGreaterThanOrEqualTo(3);
    }
}
