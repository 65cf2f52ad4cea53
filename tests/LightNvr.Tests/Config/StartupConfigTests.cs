using LightNvr.Cli;
using LightNvr.Config;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

public class StartupConfigTests
{
    [Test]
    public async Task A_valid_file_is_kept_as_the_last_good_copy_with_mode_0600()
    {
        using var dir = new TempDir();
        var path = dir.Write("lightnvr.yaml", "web:\n  port: 8090\n");
        var (loaded, errors) = ConfigLoader.LoadForStartup(path);
        await Assert.That(errors).IsEmpty();
        await Assert.That(loaded!.FromLastGood).IsFalse();
        var lastGood = ConfigLoader.LastGoodPath(path);
        await Assert.That(File.ReadAllText(lastGood)).IsEqualTo("web:\n  port: 8090\n");
        await Assert.That(File.GetUnixFileMode(lastGood)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task A_broken_file_runs_on_the_last_good_copy_and_keeps_the_errors()
    {
        using var dir = new TempDir();
        var path = dir.Write("lightnvr.yaml", "web:\n  port: 8090\n");
        ConfigLoader.LoadForStartup(path);
        File.WriteAllText(path, "web:\n  prot: 8091\n");
        var (loaded, errors) = ConfigLoader.LoadForStartup(path);
        await Assert.That(loaded!.FromLastGood).IsTrue();
        await Assert.That(loaded.Config.Web.Port).IsEqualTo(8090);
        await Assert.That(loaded.Errors.Single().Path).IsEqualTo("web.prot");
        await Assert.That(errors).Count().IsEqualTo(1);
        // The broken file never replaces the last good copy.
        await Assert.That(File.ReadAllText(ConfigLoader.LastGoodPath(path))).IsEqualTo("web:\n  port: 8090\n");
    }

    [Test]
    public async Task A_broken_file_without_a_last_good_copy_gives_nothing_to_run_on()
    {
        using var dir = new TempDir();
        var path = dir.Write("lightnvr.yaml", "web:\n  prot: 8091\n");
        var (loaded, errors) = ConfigLoader.LoadForStartup(path);
        await Assert.That(loaded).IsNull();
        await Assert.That(errors).IsNotEmpty();
    }

    [Test]
    public async Task Check_config_prints_every_error_and_exits_1_or_0()
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.yaml", "go2rtc:\n  api_prot: 1\n  rtsp_port: 0\n");
        var output = new StringWriter();
        await Assert.That(Commands.CheckConfig(bad, output)).IsEqualTo(1);
        await Assert.That(output.ToString()).Contains("bad.yaml:2:3: go2rtc.api_prot: unknown key; did you mean `api_port`?");
        await Assert.That(output.ToString()).Contains("2 error(s)");
        var good = dir.Write("good.yaml", "web:\n  port: 8080\n");
        await Assert.That(Commands.CheckConfig(good, new StringWriter())).IsEqualTo(0);
    }
}
