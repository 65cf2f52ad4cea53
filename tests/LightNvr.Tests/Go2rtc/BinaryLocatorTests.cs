using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Go2rtc;

/// <summary>Each way go2rtc's binary can be unusable is a distinct, named state with an actionable message.</summary>
public class BinaryLocatorTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PATH"] = BinaryLocator.SearchPath };

    private static string Script(TempDir dir, string name, string body, bool executable = true)
    {
        var path = dir.Write(name, "#!/bin/sh\n" + body + "\n");
        if (executable) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static Task<LocatedBinary> Locate(TempDir dir, string path) =>
        BinaryLocator.LocateAsync(path, dir.Path, Env, CancellationToken.None);

    [Test]
    public async Task A_good_binary_reports_its_parsed_version()
    {
        using var dir = new TempDir();
        var path = Script(dir, "go2rtc", "echo 'go2rtc version 1.9.14 (b5948cf) linux/arm64'");
        var found = await Locate(dir, path);
        await Assert.That(found.Problem).IsEqualTo(BinaryProblem.None);
        await Assert.That(found.Version!.Text).IsEqualTo("1.9.14");
    }

    [Test]
    public async Task Missing()
    {
        using var dir = new TempDir();
        if (BinaryLocator.Resolve("/nonexistent/go2rtc") is not null) Skip.Test("a go2rtc is installed on this machine");
        var found = await Locate(dir, "/nonexistent/go2rtc");
        await Assert.That(found.Problem).IsEqualTo(BinaryProblem.Missing);
        await Assert.That(found.Message).StartsWith("go2rtc not found at /nonexistent/go2rtc, ");
    }

    [Test]
    public async Task Not_executable()
    {
        using var dir = new TempDir();
        var path = Script(dir, "go2rtc", "echo hi", executable: false);
        var found = await Locate(dir, path);
        await Assert.That(found.Problem).IsEqualTo(BinaryProblem.NotExecutable);
        await Assert.That(found.Message).IsEqualTo($"go2rtc at {path} is not executable (chmod +x {path})");
    }

    [Test]
    public async Task Wrong_architecture_is_caught_before_exec()
    {
        using var dir = new TempDir();
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = 2; header[5] = 1; header[6] = 1; // 64-bit, little endian, version 1
        header[16] = 2; // ET_EXEC
        var foreign = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? 62 : 183;
        header[18] = (byte)foreign;
        var path = dir.File("go2rtc");
        File.WriteAllBytes(path, header);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var found = await Locate(dir, path);
        await Assert.That(found.Problem).IsEqualTo(BinaryProblem.WrongArchitecture);
        var expected = foreign == 183 ? "an aarch64 binary; this board is x86-64" : "an x86-64 binary; this board is aarch64";
        await Assert.That(found.Message).IsEqualTo($"go2rtc at {path} is {expected}");
    }

    [Test]
    public async Task Hanging_version_is_killed_after_the_deadline()
    {
        using var dir = new TempDir();
        var path = Script(dir, "go2rtc", "exec sleep 30");
        var started = DateTime.UtcNow;
        var found = await Locate(dir, path);
        await Assert.That(found.Problem).IsEqualTo(BinaryProblem.VersionFailed);
        await Assert.That(found.Message).Contains("did not answer --version within 2 s");
        await Assert.That(DateTime.UtcNow - started).IsLessThan(TimeSpan.FromSeconds(10));
        await Assert.That(ChildProcesses.Mine().Any(p => p.Exe?.EndsWith("/sleep") == true && p.State != 'Z')).IsFalse();
    }

    [Test]
    public async Task Failing_version_shows_the_exit_and_output()
    {
        using var dir = new TempDir();
        var path = Script(dir, "go2rtc", "echo 'flag provided but not defined: -version' >&2; exit 2");
        var found = await Locate(dir, path);
        await Assert.That(found.Problem).IsEqualTo(BinaryProblem.VersionFailed);
        await Assert.That(found.Message).Contains("exit code 2");
        await Assert.That(found.Message).Contains("flag provided but not defined");
    }

    [Test]
    public async Task Versions_below_1_9_are_refused()
    {
        using var dir = new TempDir();
        var path = Script(dir, "go2rtc", "echo 'go2rtc version 1.8.5 (abc1234) linux/amd64'");
        var found = await Locate(dir, path);
        await Assert.That(found.Problem).IsEqualTo(BinaryProblem.VersionTooOld);
        await Assert.That(found.Message).Contains("is version 1.8.5; this appliance needs 1.9.0 or newer");
    }
}
