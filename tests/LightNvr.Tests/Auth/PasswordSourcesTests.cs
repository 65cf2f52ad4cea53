using LightNvr.Auth;
using LightNvr.Cli;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

/// <summary>The ways a password gets set on the device: the boot-partition file and `lightnvr passwd`.</summary>
public class PasswordSourcesTests
{
    [Test]
    public async Task A_boot_partition_file_is_hashed_into_the_state_dir_and_deleted()
    {
        using var dir = new TempDir();
        var file = dir.Write("lightnvr-password.txt", "\uFEFFfrom-the-sd-card\r\n");
        var store = new PasswordStore(Path.Combine(dir.Path, "state"));
        await Assert.That(BootPasswordFile.Consume(file, store, out var problem)).IsEqualTo(BootPasswordFile.Outcome.Applied);
        await Assert.That(problem).IsNull();
        await Assert.That(File.Exists(file)).IsFalse();
        await Assert.That(store.Verify("from-the-sd-card")).IsTrue();
        await Assert.That(File.GetUnixFileMode(store.Path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.ReadAllText(store.Path)).DoesNotContain("from-the-sd-card");
        // It also replaces a forgotten password.
        dir.Write("lightnvr-password.txt", "a-newer-password\n");
        await Assert.That(BootPasswordFile.Consume(file, store, out _)).IsEqualTo(BootPasswordFile.Outcome.Applied);
        await Assert.That(store.Verify("a-newer-password")).IsTrue();
        await Assert.That(BootPasswordFile.Consume(file, store, out _)).IsEqualTo(BootPasswordFile.Outcome.Absent);
    }

    [Test]
    [Arguments("", "empty")]
    [Arguments("short\n", "shorter than 8")]
    public async Task A_bad_boot_file_is_reported_and_kept_and_changes_nothing(string content, string reason)
    {
        using var dir = new TempDir();
        var file = dir.Write("lightnvr-password.txt", content);
        var store = new PasswordStore(Path.Combine(dir.Path, "state"));
        await Assert.That(BootPasswordFile.Consume(file, store, out var problem)).IsEqualTo(BootPasswordFile.Outcome.Refused);
        await Assert.That(problem).Contains(file).And.Contains(reason);
        await Assert.That(File.Exists(file)).IsTrue();
        await Assert.That(store.Exists).IsFalse();
    }

    [Test]
    public async Task The_appliance_consumes_the_boot_file_at_start_and_shows_a_bad_one_on_the_setup_page()
    {
        await using (var app = new AppHarness().Onboarding())
        {
            File.WriteAllText(app.Config.Auth.PasswordFile, "abc\n");
            await app.Start();
            await Assert.That(File.Exists(app.Config.Auth.PasswordFile)).IsTrue();
            var page = await app.Http.GetStringAsync("/setup");
            await Assert.That(page).Contains("was not used: the password is shorter than 8 characters");
        }
        await using (var app = new AppHarness().Onboarding())
        {
            File.WriteAllText(app.Config.Auth.PasswordFile, "boot-file-password\n");
            await app.Start();
            await Assert.That(File.Exists(app.Config.Auth.PasswordFile)).IsFalse();
            using var admin = app.AuthedHttp("boot-file-password");
            await Assert.That((await admin.GetAsync("/api/status")).StatusCode).IsEqualTo(System.Net.HttpStatusCode.OK);
        }
    }

    private static string Config(TempDir dir) =>
        dir.Write("lightnvr.yaml", $"state_dir: {dir.Path}/state\ngo2rtc:\n  enabled: false\n");

    [Test]
    public async Task Passwd_reads_one_line_from_a_pipe_and_sets_the_password()
    {
        using var dir = new TempDir();
        var config = Config(dir);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = PasswdCommand.Run(["--config", config], new StringReader("typed-by-a-script\n"), output, error, interactive: false);
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(output.ToString()).Contains("the admin password is set");
        await Assert.That(output.ToString() + error).DoesNotContain("typed-by-a-script");
        await Assert.That(new PasswordStore(Path.Combine(dir.Path, "state")).Verify("typed-by-a-script")).IsTrue();
    }

    [Test]
    [Arguments("short\n", "shorter than 8")]
    [Arguments("", "no password given")]
    public async Task Passwd_refuses_a_bad_password_with_the_reason_and_changes_nothing(string stdin, string reason)
    {
        using var dir = new TempDir();
        var error = new StringWriter();
        var code = PasswdCommand.Run(["--config", Config(dir)], new StringReader(stdin), new StringWriter(), error, interactive: false);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(error.ToString()).Contains(reason).And.Contains("nothing changed");
        await Assert.That(File.Exists(Path.Combine(dir.Path, "state", PasswordStore.FileName))).IsFalse();
    }

    [Test]
    public async Task Passwd_with_an_unusable_config_exits_78()
    {
        using var dir = new TempDir();
        var error = new StringWriter();
        var code = PasswdCommand.Run(["--config", dir.File("missing.yaml")], new StringReader("good-password\n"), new StringWriter(), error, interactive: false);
        await Assert.That(code).IsEqualTo(Commands.ExitConfig);
        await Assert.That(error.ToString()).Contains("state directory is unknown");
    }

    [Test]
    public async Task The_lightnvr_passwd_command_works_from_a_pipe()
    {
        using var dir = new TempDir();
        var config = Config(dir);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "exec", AppProcess.DefaultDll, "passwd", "--config", config }) start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        await p.StandardInput.WriteLineAsync("piped-in-password");
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        await Assert.That(p.ExitCode).IsEqualTo(0).Because(await error);
        await Assert.That(await output).Contains("the admin password is set");
        await Assert.That(new PasswordStore(Path.Combine(dir.Path, "state")).Verify("piped-in-password")).IsTrue();
    }
}
