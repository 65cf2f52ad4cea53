using System.Net;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Toolchain;

/// <summary>
/// The binary as installed (toolchain/install-appliance.sh, `make install`): a folder with the binary and
/// its native side files, a symlink for the command line, the unit pointing into the folder; run from
/// an unrelated working directory through the symlink, the way a person and systemd run it.
/// </summary>
[NotInParallel("installed-shape")]
public class InstalledShapeTests
{
    private static readonly string Script = Repo.PathOf("toolchain", "install-appliance.sh");
    private static readonly UnixFileMode Mode0755 = (UnixFileMode)Convert.ToInt32("755", 8);
    private static readonly UnixFileMode Mode0644 = (UnixFileMode)Convert.ToInt32("644", 8);

    [Test]
    public async Task Make_install_with_DESTDIR_lays_out_the_folder_the_symlink_and_the_unit()
    {
        Programs.RequirePublishedX64();
        using var root = new TempDir();
        // The exact call an image build makes (the publish itself is skipped here: make test ran it).
        var (code, output, error) = await Programs.Run("make", ["-s", "-C", Repo.Root, "-o", "publish-x64", "install", "RID=linux-x64", $"DESTDIR={root.Path}"]);
        await Assert.That(code).IsEqualTo(0).Because(output + error);

        var binary = Path.Combine(root.Path, "opt/lightnvr/lightnvr");
        await Assert.That(File.GetUnixFileMode(binary)).IsEqualTo(Mode0755);
        await Assert.That(new FileInfo(binary).Length).IsEqualTo(new FileInfo(Path.Combine(Programs.PublishX64, "lightnvr")).Length);
        var published = Directory.GetFiles(Programs.PublishX64, "*.so").Select(Path.GetFileName).Order().ToList();
        var installed = Directory.GetFiles(Path.Combine(root.Path, "opt/lightnvr")).Select(Path.GetFileName).Order().ToList();
        await Assert.That(published).Contains("libMonoPosixHelper.so");
        await Assert.That(installed).IsEquivalentTo(published.Append("lightnvr").Order().ToList());
        foreach (var lib in published) await Assert.That(File.GetUnixFileMode(Path.Combine(root.Path, "opt/lightnvr", lib!))).IsEqualTo(Mode0644);

        // The symlink names the path on the running system, not the staging folder.
        var link = new FileInfo(Path.Combine(root.Path, "usr/local/bin/lightnvr"));
        await Assert.That(link.LinkTarget).IsEqualTo("/opt/lightnvr/lightnvr");
        var unit = await File.ReadAllTextAsync(Path.Combine(root.Path, "etc/systemd/system/lightnvr.service"));
        await Assert.That(unit).Contains("\nExecStart=/opt/lightnvr/lightnvr --config /etc/lightnvr/lightnvr.yaml\n");
        await Assert.That(output).Contains("installed /opt/lightnvr/lightnvr");
    }

    [Test]
    public async Task Make_install_for_linux_arm64_lays_out_arm64_files_only()
    {
        var publish = Repo.PathOf("build", "publish", "linux-arm64");
        if (!File.Exists(Path.Combine(publish, "lightnvr"))) Skip.Test($"{publish}/lightnvr not published: run `make publish-arm64` (make test does)");
        using var root = new TempDir();
        var (code, output, error) = await Programs.Run("make", ["-s", "-C", Repo.Root, "-o", "publish-arm64", "install", "RID=linux-arm64", $"DESTDIR={root.Path}"]);
        await Assert.That(code).IsEqualTo(0).Because(output + error);
        var files = Directory.GetFiles(Path.Combine(root.Path, "opt/lightnvr"));
        await Assert.That(files.Select(Path.GetFileName)).Contains("libMonoPosixHelper.so");
        foreach (var file in files)
            await Assert.That(LightNvr.Posix.ElfMachine.Inspect(file).Architecture).IsEqualTo("aarch64").Because(file);
    }

    [Test]
    public async Task The_installed_shape_runs_check_config_passwd_and_the_appliance_through_the_symlink_from_an_empty_folder()
    {
        Programs.RequirePublishedX64();
        using var root = new TempDir();
        string prefix = Path.Combine(root.Path, "opt/lightnvr"), bin = Path.Combine(root.Path, "bin"), units = Path.Combine(root.Path, "units");
        var install = await Programs.Run("bash", [Script, Programs.PublishX64, "", prefix, bin, units]);
        await Assert.That(install.Code).IsEqualTo(0).Because(install.Out + install.Err);
        var unit = await File.ReadAllTextAsync(Path.Combine(units, "lightnvr.service"));
        await Assert.That(unit).Contains($"\nExecStart={prefix}/lightnvr --config ");

        var lightnvr = Path.Combine(bin, "lightnvr");
        await Assert.That(new FileInfo(lightnvr).LinkTarget).IsEqualTo(Path.Combine(prefix, "lightnvr"));
        var empty = Directory.CreateDirectory(Path.Combine(root.Path, "elsewhere")).FullName;
        var port = Ports.Free();
        var state = Directory.CreateDirectory(Path.Combine(root.Path, "state")).FullName;
        var config = root.Write("lightnvr.yaml",
            $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {state}\ngo2rtc:\n  enabled: false\nauth:\n  password_file: {root.File("none.txt")}\n");

        var check = await Programs.Run(lightnvr, ["check-config", config], cwd: empty);
        await Assert.That(check.Code).IsEqualTo(0).Because(check.Out + check.Err);
        const string password = "installed-shape-1";
        var passwd = await Programs.Run(lightnvr, ["passwd", "--config", config], cwd: empty, stdin: password + "\n");
        await Assert.That(passwd.Code).IsEqualTo(0).Because(passwd.Out + passwd.Err);
        await Assert.That(File.Exists(Path.Combine(state, "admin-password"))).IsTrue();

        await using var app = new Programs.Running(Programs.Info(lightnvr, ["--config", config], cwd: empty));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        var healthz = await AppProcess.WaitForPage(http, "/healthz", seconds: 60);
        await Assert.That(healthz).Contains("\"ok\"");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Authorization = AppHarness.BasicHeader(password);
        using var status = await http.SendAsync(request);
        await Assert.That(status.StatusCode).IsEqualTo(HttpStatusCode.OK).Because(app.Output);
        await Assert.That(await status.Content.ReadAsStringAsync()).Contains("\"version\"");
        await Assert.That(await app.Stop()).IsEqualTo(0).Because(app.Output);
        await Assert.That(app.Output).DoesNotContain("DllNotFoundException");
    }

    [Test]
    [Arguments("check-config")]
    [Arguments("passwd")]
    [Arguments("run")]
    public async Task A_binary_without_its_side_library_says_which_file_and_where_in_one_line_and_exits_1(string verb)
    {
        Programs.RequirePublishedX64();
        using var copy = new TempDir();
        var binary = copy.File("lightnvr");
        File.Copy(Path.Combine(Programs.PublishX64, "lightnvr"), binary);
        var config = copy.Write("lightnvr.yaml", $"state_dir: {copy.Path}\n");

        var (code, output, error) = await Programs.Run(binary, Args(verb, config), cwd: "/", stdin: "a-password-1\n");
        await Assert.That(code).IsEqualTo(1).Because(output + error);
        await Assert.That(output).IsEmpty();
        await Assert.That(error.TrimEnd('\n')).DoesNotContain("\n").Because(error);
        await Assert.That(error).Contains($"libMonoPosixHelper.so not found: looked beside the binary in {copy.Path}/ and in the system library path");
    }

    [Test]
    public async Task The_published_binary_explains_an_unreadable_file_in_the_frameworks_words_not_its_resource_keys()
    {
        // UseSystemResourceKeys would print "UnauthorizedAccess_IODenied_Path, /x" where a person reads this sentence.
        Programs.RequirePublishedX64();
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.File("lightnvr.yaml")).FullName; // a folder where the file should be
        var (code, output, error) = await Programs.Run(Path.Combine(Programs.PublishX64, "lightnvr"), ["check-config", folder], cwd: "/");
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(error + output).Contains($"cannot read the file: Access to the path '{folder}' is denied.");
    }

    [Test]
    public async Task Each_side_library_is_required_the_serial_one_too()
    {
        Programs.RequirePublishedX64();
        using var copy = new TempDir();
        var binary = copy.File("lightnvr");
        File.Copy(Path.Combine(Programs.PublishX64, "lightnvr"), binary);
        File.Copy(Path.Combine(Programs.PublishX64, "libMonoPosixHelper.so"), copy.File("libMonoPosixHelper.so"));
        var config = copy.Write("lightnvr.yaml", $"state_dir: {copy.Path}\n");

        var (code, _, error) = await Programs.Run(binary, ["check-config", config], cwd: "/");
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(error).Contains($"libSystem.IO.Ports.Native.so not found: looked beside the binary in {copy.Path}/");
    }

    [Test]
    public async Task A_side_library_that_is_there_but_does_not_load_is_named_with_the_loaders_reason()
    {
        Programs.RequirePublishedX64();
        using var copy = new TempDir();
        var binary = copy.File("lightnvr");
        File.Copy(Path.Combine(Programs.PublishX64, "lightnvr"), binary);
        var lib = copy.Write("libMonoPosixHelper.so", string.Concat(Enumerable.Repeat("not a shared library\n", 64)));
        File.Copy(Path.Combine(Programs.PublishX64, "libSystem.IO.Ports.Native.so"), copy.File("libSystem.IO.Ports.Native.so"));
        var config = copy.Write("lightnvr.yaml", $"state_dir: {copy.Path}\n");

        var (code, output, error) = await Programs.Run(binary, ["check-config", config], cwd: "/");
        await Assert.That(code).IsEqualTo(1).Because(output + error);
        await Assert.That(error.TrimEnd('\n')).DoesNotContain("\n").Because(error);
        await Assert.That(error).Contains($"lightnvr: {lib} cannot be loaded: ");
        await Assert.That(error).EndsWith("cannot be loaded: invalid ELF header\n");
    }

    private static string[] Args(string verb, string config) => verb switch
    {
        "check-config" => ["check-config", config],
        "passwd" => ["passwd", "--config", config],
        _ => ["--config", config],
    };
}
