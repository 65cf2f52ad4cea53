using System.Security.Cryptography;
using System.Text;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Toolchain;

/// <summary>
/// `make run` on a fresh machine (toolchain/find-go2rtc.sh, then make-run-config.sh): the pinned go2rtc is
/// fetched into run/bin when the release server answers, and used; when it does not, one line says so
/// and how to point GO2RTC_BINARY at one, and the run goes on.
/// </summary>
public class FirstRunScriptTests
{
    private static readonly string Find = Repo.PathOf("toolchain", "find-go2rtc.sh");
    private static readonly string RunConfig = Repo.PathOf("toolchain", "make-run-config.sh");
    private static readonly byte[] FakeRelease = Encoding.ASCII.GetBytes("#!/bin/sh\necho 'go2rtc version 1.9.14 (b5948cf) linux/amd64'\n");

    /// <summary>An environment where no go2rtc is installed: PATH without /usr/local/bin, nothing GO2RTC_* inherited.</summary>
    private static Dictionary<string, string> FreshMachine(string downloadBase)
    {
        if (File.Exists("/usr/local/bin/go2rtc") || File.Exists("/usr/bin/go2rtc")) Skip.Test("this machine has a go2rtc installed");
        return new() { ["PATH"] = "/usr/bin:/bin", ["GO2RTC_DOWNLOAD_BASE"] = downloadBase, ["GO2RTC_BINARY"] = "", ["GO2RTC_ARCH"] = "x86_64" };
    }

    [Test]
    public async Task Without_network_it_says_so_in_one_line_with_the_way_out_and_the_run_goes_on()
    {
        using var dir = new TempDir();
        var run = Path.Combine(dir.Path, "run");
        var env = FreshMachine($"http://127.0.0.1:{Ports.Free()}/releases");   // nothing listens there

        var (code, output, error) = await Programs.Run("bash", [Find, Path.Combine(run, "bin")], env: env);
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(error).IsEmpty();
        await Assert.That(output.TrimEnd('\n')).DoesNotContain("\n");
        await Assert.That(output).Contains("go2rtc: none found and http://127.0.0.1:");
        await Assert.That(output).Contains("cannot be reached to fetch the pinned release; running without it");
        await Assert.That(output).Contains("GO2RTC_BINARY=/path/to/go2rtc make run");
        await Assert.That(Directory.Exists(Path.Combine(run, "bin")) && Directory.EnumerateFileSystemEntries(Path.Combine(run, "bin")).Any()).IsFalse();

        var config = await Programs.Run("bash", [RunConfig, run], env: env);
        await Assert.That(config.Code).IsEqualTo(0);
        await Assert.That(await File.ReadAllTextAsync(Path.Combine(run, "lightnvr.yaml"))).DoesNotContain("binary:");
    }

    [Test]
    public async Task With_the_release_server_reachable_the_pinned_go2rtc_is_fetched_checked_and_used()
    {
        using var dir = new TempDir();
        var run = Path.Combine(dir.Path, "run");
        await using var server = await InstallGo2rtcScriptTests.FakeReleaseServer.StartAsync();
        server.Serve("1.9.14", "go2rtc_linux_amd64", FakeRelease);
        var env = FreshMachine(server.BaseUrl);
        env["GO2RTC_SHA256"] = Convert.ToHexStringLower(SHA256.HashData(FakeRelease));

        var (code, output, error) = await Programs.Run("bash", [Find, Path.Combine(run, "bin")], env: env);
        await Assert.That(code).IsEqualTo(0).Because(output + error);
        var installed = Path.Combine(run, "bin", "go2rtc");
        await Assert.That(File.ReadAllBytes(installed).SequenceEqual(FakeRelease)).IsTrue();
        await Assert.That(server.Requests).Contains("/v1.9.14/go2rtc_linux_amd64");
        // The installer's starter go2rtc.yaml went to a scratch folder, not into run/.
        await Assert.That(Directory.GetFiles(run, "go2rtc.yaml", SearchOption.AllDirectories)).IsEmpty();

        var config = await Programs.Run("bash", [RunConfig, run], env: env);
        await Assert.That(config.Code).IsEqualTo(0);
        await Assert.That(await File.ReadAllTextAsync(Path.Combine(run, "lightnvr.yaml"))).Contains($"  binary: {installed}\n");

        // A second make run finds it and asks nothing.
        var before = server.Requests.Count;
        var again = await Programs.Run("bash", [Find, Path.Combine(run, "bin")], env: env);
        await Assert.That(again.Code).IsEqualTo(0);
        await Assert.That(again.Out).IsEmpty();
        await Assert.That(server.Requests.Count).IsEqualTo(before);
    }

    [Test]
    public async Task A_named_GO2RTC_BINARY_is_used_as_it_is()
    {
        using var dir = new TempDir();
        var run = Path.Combine(dir.Path, "run");
        var named = dir.Write("my-go2rtc", "#!/bin/sh\n");
        var env = FreshMachine($"http://127.0.0.1:{Ports.Free()}/releases");
        env["GO2RTC_BINARY"] = named;

        var (code, output, _) = await Programs.Run("bash", [Find, Path.Combine(run, "bin")], env: env);
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(output).IsEmpty();
        await Programs.Run("bash", [RunConfig, run], env: env);
        await Assert.That(await File.ReadAllTextAsync(Path.Combine(run, "lightnvr.yaml"))).Contains($"  binary: {named}\n");
    }

    [Test]
    [Arguments("find-go2rtc.sh")]
    [Arguments("make-run-config.sh")]
    [Arguments("install-appliance.sh")]
    [Arguments("arm64-smoke.sh")]
    [Arguments("install-build-deps.sh")]
    public async Task Script_is_shellcheck_clean(string script)
    {
        if (!File.Exists("/usr/bin/shellcheck")) Skip.Test("shellcheck is not installed (make deps installs it)");
        var (code, output, error) = await Programs.Run("shellcheck", ["-x", Repo.PathOf("toolchain", script)]);
        await Assert.That(code).IsEqualTo(0).Because(output + error);
    }
}
