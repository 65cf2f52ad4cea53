using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LightNvr.Tests.Toolchain;

/// <summary>
/// Runs toolchain/install-go2rtc.sh for real (bash, real files, real HTTP against an
/// in-test Kestrel serving a fake go2rtc release).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class InstallGo2rtcScriptTests
{
    private const string Version = "1.9.14";
    private const string AmdAsset = "go2rtc_linux_amd64";
    private const string RealPinnedAmd64Sha = "32d616af226bd731678ffde328b94cfb94e30339bfefc469cfb76323144615a6";

    private static readonly byte[] FakeRelease = Encoding.ASCII.GetBytes(
        "#!/bin/sh\necho 'go2rtc version 1.9.14 (b5948cf) linux/amd64'\n");

    private static readonly UnixFileMode Mode0755 = (UnixFileMode)Convert.ToInt32("755", 8);
    private static readonly UnixFileMode Mode0700 = (UnixFileMode)Convert.ToInt32("700", 8);
    private static readonly UnixFileMode Mode0600 = (UnixFileMode)Convert.ToInt32("600", 8);

    [Test]
    public async Task Fresh_install_puts_an_executable_binary_and_a_private_config_in_place()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        server.Serve(Version, AmdAsset, FakeRelease);
        sandbox.PinChecksum(Sha256(FakeRelease), AmdAsset, Version);

        var result = await RunScriptAsync(sandbox.Args(), sandbox.Env(server));

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(server.Requests).IsEquivalentTo(new[] { $"/v{Version}/{AmdAsset}" });

        var binary = sandbox.Binary;
        await Assert.That(File.ReadAllBytes(binary).SequenceEqual(FakeRelease)).IsTrue();
        await Assert.That(File.GetUnixFileMode(binary)).IsEqualTo(Mode0755);
        // The installed file runs on its own (exec bit + shebang), like go2rtc would.
        var versionRun = await RunAsync(binary, ["--version"], new Dictionary<string, string?>());
        await Assert.That(versionRun.ExitCode).IsEqualTo(0);
        await Assert.That(versionRun.Stdout).Contains("go2rtc version 1.9.14");
        await Assert.That(result.Stdout).Contains("go2rtc version 1.9.14");

        await Assert.That(File.GetUnixFileMode(sandbox.ConfigDir)).IsEqualTo(Mode0700);
        await Assert.That(File.GetUnixFileMode(sandbox.ConfigFile)).IsEqualTo(Mode0600);
        var config = File.ReadAllText(sandbox.ConfigFile);
        await Assert.That(config).Contains("listen: \"127.0.0.1:1984\"");
        await Assert.That(config).Contains("ice_servers: []");
        await Assert.That(config).Contains("# ice_servers:");
        await Assert.That(config).Contains("level: info");
        await Assert.That(config).Contains("managed by the LightNVR appliance");
        await Assert.That(config).Contains("streams:");

        await Assert.That(sandbox.StrayFiles()).IsEmpty();
    }

    [Test]
    public async Task Bad_checksum_is_refused_and_the_old_binary_stays_untouched()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        var tampered = Encoding.ASCII.GetBytes("#!/bin/sh\necho 'go2rtc version 1.9.14 (evil) linux/amd64'\n");
        server.Serve(Version, AmdAsset, tampered);
        sandbox.PinChecksum(Sha256(FakeRelease), AmdAsset, Version);

        Directory.CreateDirectory(sandbox.InstallDir);
        var old = Encoding.ASCII.GetBytes("#!/bin/sh\necho 'go2rtc version 1.9.13 (old) linux/amd64'\n");
        File.WriteAllBytes(sandbox.Binary, old);
        File.SetUnixFileMode(sandbox.Binary, Mode0755);
        var oldMtime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(sandbox.Binary, oldMtime);

        var result = await RunScriptAsync(sandbox.Args(), sandbox.Env(server));

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(server.Requests.Count).IsEqualTo(1); // it did download, then refused
        await Assert.That(result.Stderr).Contains("SHA-256 mismatch");
        await Assert.That(result.Stderr).Contains($"expected: {Sha256(FakeRelease)}");
        await Assert.That(result.Stderr).Contains($"actual:   {Sha256(tampered)}");
        await Assert.That(File.ReadAllBytes(sandbox.Binary).SequenceEqual(old)).IsTrue();
        await Assert.That(File.GetLastWriteTimeUtc(sandbox.Binary)).IsEqualTo(oldMtime);
        await Assert.That(sandbox.StrayFiles()).IsEmpty();
        await Assert.That(Directory.Exists(sandbox.ConfigDir)).IsFalse();
    }

    [Test]
    public async Task Built_in_pinned_table_is_used_when_no_checksum_file_is_given()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        server.Serve(Version, AmdAsset, FakeRelease);

        // No GO2RTC_CHECKSUMS_FILE: the fake asset must fail against the real pinned checksum.
        var result = await RunScriptAsync(sandbox.Args(), sandbox.Env(server, withChecksumsFile: false));

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(result.Stderr).Contains($"expected: {RealPinnedAmd64Sha}");
        await Assert.That(File.Exists(sandbox.Binary)).IsFalse();
        await Assert.That(sandbox.StrayFiles()).IsEmpty();
    }

    [Test]
    public async Task Unknown_architecture_fails_clearly_and_creates_nothing()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        server.Serve(Version, AmdAsset, FakeRelease);
        sandbox.PinChecksum(Sha256(FakeRelease), AmdAsset, Version);

        var env = sandbox.Env(server);
        env["GO2RTC_ARCH"] = "mips";
        var result = await RunScriptAsync(sandbox.Args(), env);

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(result.Stderr).Contains("unsupported architecture 'mips'");
        await Assert.That(result.Stderr).Contains("x86_64");
        await Assert.That(result.Stderr).Contains("aarch64");
        await Assert.That(result.Stderr).Contains("armv7l");
        await Assert.That(result.Stderr).Contains("armv6l");
        await Assert.That(Directory.Exists(sandbox.InstallDir)).IsFalse();
        await Assert.That(Directory.Exists(sandbox.ConfigDir)).IsFalse();
        await Assert.That(server.Requests).IsEmpty();
    }

    [Test]
    [Arguments("x86_64", "go2rtc_linux_amd64")]
    [Arguments("aarch64", "go2rtc_linux_arm64")]
    [Arguments("arm64", "go2rtc_linux_arm64")]
    [Arguments("armv7l", "go2rtc_linux_arm")]
    [Arguments("armv6l", "go2rtc_linux_armv6")]
    public async Task Architecture_selects_the_matching_release_asset(string arch, string asset)
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        server.Serve(Version, asset, FakeRelease);
        sandbox.PinChecksum(Sha256(FakeRelease), asset, Version);

        var env = sandbox.Env(server);
        env["GO2RTC_ARCH"] = arch;
        var result = await RunScriptAsync(sandbox.Args(), env);

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(server.Requests).IsEquivalentTo(new[] { $"/v{Version}/{asset}" });
        await Assert.That(File.ReadAllBytes(sandbox.Binary).SequenceEqual(FakeRelease)).IsTrue();
    }

    [Test]
    public async Task Rerun_says_already_installed_downloads_nothing_and_keeps_the_config()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        server.Serve(Version, AmdAsset, FakeRelease);
        sandbox.PinChecksum(Sha256(FakeRelease), AmdAsset, Version);

        var first = await RunScriptAsync(sandbox.Args(), sandbox.Env(server));
        await Assert.That(first.ExitCode).IsEqualTo(0);
        await Assert.That(server.Requests.Count).IsEqualTo(1);

        // Old, distinctive timestamps: any rewrite or touch would change them.
        var configMtime = new DateTime(2021, 6, 7, 8, 9, 10, DateTimeKind.Utc);
        var binaryMtime = new DateTime(2021, 6, 7, 8, 9, 11, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(sandbox.ConfigFile, configMtime);
        File.SetLastWriteTimeUtc(sandbox.Binary, binaryMtime);
        var configText = File.ReadAllText(sandbox.ConfigFile);

        var second = await RunScriptAsync(sandbox.Args(), sandbox.Env(server));

        await Assert.That(second.ExitCode).IsEqualTo(0);
        await Assert.That(second.Stdout).Contains("already installed");
        await Assert.That(server.Requests.Count).IsEqualTo(1);
        await Assert.That(File.GetLastWriteTimeUtc(sandbox.ConfigFile)).IsEqualTo(configMtime);
        await Assert.That(File.GetLastWriteTimeUtc(sandbox.Binary)).IsEqualTo(binaryMtime);
        await Assert.That(File.ReadAllText(sandbox.ConfigFile)).IsEqualTo(configText);
        await Assert.That(sandbox.StrayFiles()).IsEmpty();
    }

    [Test]
    public async Task A_persons_existing_config_is_never_overwritten()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        server.Serve(Version, AmdAsset, FakeRelease);
        sandbox.PinChecksum(Sha256(FakeRelease), AmdAsset, Version);

        Directory.CreateDirectory(sandbox.ConfigDir);
        const string mine = "# my own settings\napi:\n  listen: \"127.0.0.1:11984\"\nlog:\n  level: debug\n";
        File.WriteAllText(sandbox.ConfigFile, mine);
        var mtime = new DateTime(2022, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(sandbox.ConfigFile, mtime);

        for (var run = 0; run < 2; run++)
        {
            var result = await RunScriptAsync(sandbox.Args(), sandbox.Env(server));
            await Assert.That(result.ExitCode).IsEqualTo(0);
            await Assert.That(result.Stdout).Contains("keeping existing");
        }

        await Assert.That(File.ReadAllText(sandbox.ConfigFile)).IsEqualTo(mine);
        await Assert.That(File.GetLastWriteTimeUtc(sandbox.ConfigFile)).IsEqualTo(mtime);
        await Assert.That(File.Exists(sandbox.Binary)).IsTrue();
        await Assert.That(sandbox.StrayFiles()).IsEmpty();
    }

    [Test]
    public async Task A_version_without_a_pinned_checksum_is_refused_unless_GO2RTC_SHA256_is_given()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        server.Serve("1.2.3", AmdAsset, FakeRelease);

        var args = sandbox.Args().Concat(["--version", "1.2.3"]).ToArray();
        var refused = await RunScriptAsync(args, sandbox.Env(server, withChecksumsFile: false));

        await Assert.That(refused.ExitCode).IsNotEqualTo(0);
        await Assert.That(refused.Stderr).Contains("no pinned SHA-256");
        await Assert.That(refused.Stderr).Contains("GO2RTC_SHA256");
        await Assert.That(server.Requests).IsEmpty();
        await Assert.That(Directory.Exists(sandbox.InstallDir)).IsFalse();

        var env = sandbox.Env(server, withChecksumsFile: false);
        env["GO2RTC_SHA256"] = Sha256(FakeRelease).ToUpperInvariant();
        var accepted = await RunScriptAsync(args, env);

        await Assert.That(accepted.ExitCode).IsEqualTo(0);
        await Assert.That(server.Requests).IsEquivalentTo(new[] { $"/v1.2.3/{AmdAsset}" });
        await Assert.That(File.ReadAllBytes(sandbox.Binary).SequenceEqual(FakeRelease)).IsTrue();
    }

    [Test]
    public async Task A_download_that_does_not_run_is_not_installed()
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        var broken = Encoding.ASCII.GetBytes("#!/bin/sh\necho 'exec format error' >&2\nexit 3\n");
        server.Serve(Version, AmdAsset, broken);
        sandbox.PinChecksum(Sha256(broken), AmdAsset, Version);

        var result = await RunScriptAsync(sandbox.Args(), sandbox.Env(server));

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(result.Stderr).Contains("--version");
        await Assert.That(File.Exists(sandbox.Binary)).IsFalse();
        await Assert.That(sandbox.StrayFiles()).IsEmpty();
    }

    [Test]
    public async Task Help_prints_usage_and_exits_zero()
    {
        using var sandbox = new Sandbox();
        var result = await RunScriptAsync(["--help"], sandbox.Env(server: null));

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout).Contains("Usage:");
        await Assert.That(result.Stdout).Contains("--install-dir");
        await Assert.That(result.Stdout).Contains("--config-dir");
        await Assert.That(result.Stdout).Contains("--version");
    }

    [Test]
    [Arguments("--bogus")]
    [Arguments("--install-dir")]
    [Arguments("-x")]
    public async Task Unknown_or_incomplete_option_is_a_usage_error(string option)
    {
        using var sandbox = new Sandbox();
        await using var server = await FakeReleaseServer.StartAsync();
        var result = await RunScriptAsync([option], sandbox.Env(server));

        await Assert.That(result.ExitCode).IsEqualTo(2);
        await Assert.That(result.Stderr).Contains(option);
        await Assert.That(result.Stderr).Contains("--help");
        await Assert.That(server.Requests).IsEmpty();
    }

    [Test]
    public async Task Script_is_shellcheck_clean()
    {
        var shellcheck = FindOnPath("shellcheck");
        if (shellcheck is null)
        {
            Skip.Test("shellcheck is not installed (apt-get install -y shellcheck)");
        }

        var result = await RunAsync(shellcheck!, ["-x", ScriptPath], new Dictionary<string, string?>());

        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout.Trim()).IsEmpty();
    }

    // ---------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------

    private static readonly Lazy<string> LazyScriptPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LightNvr.sln")))
            {
                var script = Path.Combine(dir.FullName, "toolchain", "install-go2rtc.sh");
                return File.Exists(script)
                    ? script
                    : throw new FileNotFoundException("install-go2rtc.sh missing under the repo root", script);
            }
        }
        throw new DirectoryNotFoundException($"No LightNvr.sln above {AppContext.BaseDirectory}");
    });

    private static string ScriptPath => LazyScriptPath.Value;

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, name))
        .FirstOrDefault(File.Exists);

    private static Task<ProcessResult> RunScriptAsync(string[] args, Dictionary<string, string?> env) =>
        RunAsync("bash", [ScriptPath, .. args], env);

    private static async Task<ProcessResult> RunAsync(
        string fileName, string[] args, Dictionary<string, string?> env)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        // Start from a clean slate: nothing GO2RTC_* leaks in from the runner's environment.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("GO2RTC_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }
        foreach (var (key, value) in env)
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within 60 s");
        }

        var result = new ProcessResult(process.ExitCode, await stdout, await stderr);
        // Shown by the test runner when a test fails.
        Console.WriteLine($"$ {fileName} {string.Join(' ', args)}\n-> exit {result.ExitCode}\n[stdout]\n{result.Stdout}[stderr]\n{result.Stderr}");
        return result;
    }

    private sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

    /// <summary>A temp folder holding the install dir, config dir and checksum file of one test.</summary>
    private sealed class Sandbox : IDisposable
    {
        private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("lightnvr-install-go2rtc-");

        public string InstallDir => Path.Combine(root.FullName, "usr", "local", "bin");
        public string ConfigDir => Path.Combine(root.FullName, "etc", "lightnvr", "go2rtc");
        public string Binary => Path.Combine(InstallDir, "go2rtc");
        public string ConfigFile => Path.Combine(ConfigDir, "go2rtc.yaml");
        private string ChecksumsFile => Path.Combine(root.FullName, "checksums.txt");

        public string[] Args() => ["--install-dir", InstallDir, "--config-dir", ConfigDir];

        public void PinChecksum(string sha256, string asset, string version) =>
            File.AppendAllText(ChecksumsFile, $"{sha256}  {asset}  {version}\n");

        public Dictionary<string, string?> Env(FakeReleaseServer? server, bool withChecksumsFile = true)
        {
            var env = new Dictionary<string, string?>
            {
                // Deliberately unreachable unless a server is given: no test may reach the internet.
                ["GO2RTC_DOWNLOAD_BASE"] = server?.BaseUrl ?? "http://127.0.0.1:9/unreachable",
                ["GO2RTC_ARCH"] = "x86_64",
            };
            if (withChecksumsFile)
            {
                if (!File.Exists(ChecksumsFile))
                {
                    File.WriteAllText(ChecksumsFile, "# sha256  asset  version\n");
                }
                env["GO2RTC_CHECKSUMS_FILE"] = ChecksumsFile;
            }
            return env;
        }

        /// <summary>Anything in the install or config dir besides go2rtc and go2rtc.yaml.</summary>
        public string[] StrayFiles()
        {
            var allowed = new HashSet<string> { Binary, ConfigFile };
            return new[] { InstallDir, ConfigDir }
                .Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFileSystemEntries(d))
                .Where(p => !allowed.Contains(p))
                .ToArray();
        }

        public void Dispose()
        {
            try
            {
                root.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Kestrel on 127.0.0.1 serving fake release assets and recording every request.</summary>
    internal sealed class FakeReleaseServer : IAsyncDisposable
    {
        private readonly WebApplication app;
        private readonly ConcurrentDictionary<string, byte[]> assets = new();
        private readonly ConcurrentQueue<string> requests = new();

        private FakeReleaseServer(WebApplication app) => this.app = app;

        public string BaseUrl { get; private set; } = "";

        public IReadOnlyList<string> Requests => requests.ToArray();

        public void Serve(string version, string asset, byte[] content) => assets[$"/v{version}/{asset}"] = content;

        public static async Task<FakeReleaseServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new FakeReleaseServer(app);
            app.Run(async context =>
            {
                var path = context.Request.Path.Value ?? "";
                server.requests.Enqueue(path);
                if (server.assets.TryGetValue(path, out var content))
                {
                    context.Response.ContentType = "application/octet-stream";
                    context.Response.ContentLength = content.Length;
                    await context.Response.Body.WriteAsync(content);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                }
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>()
                .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            server.BaseUrl = address.TrimEnd('/');
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
