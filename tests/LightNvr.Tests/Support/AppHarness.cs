using System.Text.Json;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Streams;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LightNvr.Tests.Support;

/// <summary>
/// The whole appliance in this process: real Kestrel on 127.0.0.1:0, the real supervisor spawning
/// go2rtc (stand-in or GO2RTC_BINARY), the camera list in a temp dir.
/// </summary>
internal sealed class AppHarness : IAsyncDisposable
{
    public TempDir Dir { get; } = new();
    public AppConfig Config { get; }
    public string ConfigPath { get; }
    public string StreamsPath { get; }
    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public HttpClient Go2rtcHttp { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };

    public AppHarness(string? streamsYaml = null)
    {
        Go2rtcBinary.Announce();
        ConfigPath = Dir.File("lightnvr.yaml");
        StreamsPath = Dir.File("streams.yaml");
        if (streamsYaml is not null) File.WriteAllText(StreamsPath, streamsYaml);
        Config = new AppConfig
        {
            StateDir = Dir.Path,
            Web = new WebSettings { Listen = "127.0.0.1", Port = 0 },
            Go2rtc = new Go2rtcSettings
            {
                Binary = Go2rtcBinary.Path, ConfigDir = System.IO.Path.Combine(Dir.Path, "go2rtc"),
                ApiPort = Ports.Free(), RtspPort = Ports.Free(), WebrtcPort = Ports.Free(),
            },
            // Never the machine's /boot/firmware: a boot-partition password file only if a test puts one here.
            Auth = new AuthSettings { PasswordFile = Dir.File("lightnvr-password.txt") },
        };
    }

    /// <summary>
    /// The password a harness provisions when the test sets none: the API is closed until a password
    /// exists, so by default the harness is a provisioned appliance and <see cref="Http"/> signs in with it.
    /// </summary>
    public const string DefaultPassword = "harness-admin-password";

    private bool _onboarding;
    private bool _defaultPassword;

    /// <summary>The admin password set before start, or null (onboarding: see <see cref="Onboarding"/>).</summary>
    public string? Password { get; private set; }

    /// <summary>Starts with no password at all (the onboarding window): only /setup, /healthz and assets answer.</summary>
    public AppHarness Onboarding()
    {
        _onboarding = true;
        return this;
    }

    /// <summary>Sets the admin password before <see cref="Start"/>, as `lightnvr passwd` would.</summary>
    public AppHarness WithPassword(string password)
    {
        var refused = new LightNvr.Auth.PasswordStore(Config.StateDir).Set(password);
        if (refused is not null) throw new ArgumentException(refused, nameof(password));
        Password = password;
        return this;
    }

    /// <summary>A client sending the admin password as HTTP Basic (the harness's <see cref="Password"/> unless given).</summary>
    public HttpClient AuthedHttp(string? password = null)
    {
        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = BasicHeader(password ?? Password ?? throw new InvalidOperationException("no password: call WithPassword"));
        return client;
    }

    public static System.Net.Http.Headers.AuthenticationHeaderValue BasicHeader(string password, string user = "admin") =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));

    public Go2rtcSupervisor Supervisor => App.Services.GetRequiredService<Go2rtcSupervisor>();
    public StreamSync Sync => App.Services.GetRequiredService<StreamSync>();
    public CameraList Cameras => App.Services.GetRequiredService<CameraList>();
    public string Go2rtcUrl => $"http://127.0.0.1:{Config.Go2rtc.ApiPort}";
    /// <summary>go2rtc's API root: under its base path when the door to go2rtc is open (the stand-in's /standin/ routes stay at <see cref="Go2rtcUrl"/>).</summary>
    public string Go2rtcApiUrl => Go2rtcUrl + LightNvr.Go2rtc.GeneratedConfig.BasePath(Config.Go2rtc, "");

    /// <summary>Where the board's LEDs are (a temp directory laid out like /sys/class/leds), when a test drives one.</summary>
    public LightNvr.Board.BoardRoots? Board { get; set; }

    public async Task<AppHarness> Start(SupervisorOptions? options = null)
    {
        if (Password is null && !_onboarding)
        {
            WithPassword(DefaultPassword);
            _defaultPassword = true;
        }
        App = AppHost.Build(new LoadedConfig(Config, ConfigPath, [], false), supervisor: options ?? new SupervisorOptions(), board: Board);
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
        // A test that chose its own password gets a plain client (it tests signing in); otherwise Http is the admin.
        if (_defaultPassword)
        {
            Http.DefaultRequestHeaders.Authorization = BasicHeader(DefaultPassword);
            // The first Basic request runs the 600 000-round hash; pay it here, not inside a test's timing.
            (await Http.GetAsync("/api/status")).EnsureSuccessStatusCode();
        }
        return this;
    }

    public Task<Go2rtcStatus> WaitReady(int generationAbove = 0, double seconds = 20) =>
        Wait.Until(() => Task.FromResult(Supervisor.Status is { Phase: Go2rtcPhase.Ready } s && s.Generation > generationAbove ? s : null),
            TimeSpan.FromSeconds(seconds), $"go2rtc ready after generation {generationAbove} (now {Supervisor.Status.Phase}: {Supervisor.Status.Message})");

    public Task<Go2rtcStatus> WaitFor(Func<Go2rtcStatus, bool> condition, string what, double seconds = 15) =>
        Wait.Until(() => Task.FromResult(condition(Supervisor.Status) ? Supervisor.Status : null), TimeSpan.FromSeconds(seconds),
            $"{what} (now {Supervisor.Status.Phase}: {Supervisor.Status.Message})");

    /// <summary>go2rtc processes (children of this test process) running the binary under test.</summary>
    public List<(int Pid, char State, string? Exe)> Go2rtcChildren() => ChildProcesses.Running(Config.Go2rtc.Binary, Config.Go2rtc.ConfigDir);

    /// <summary>go2rtc's own view: stream name → its producers' url strings, straight from its API.</summary>
    public async Task<Dictionary<string, List<string>>> Go2rtcStreams()
    {
        using var doc = JsonDocument.Parse(await Go2rtcHttp.GetStringAsync(Go2rtcApiUrl + "/api/streams"));
        return doc.RootElement.EnumerateObject().ToDictionary(s => s.Name, s =>
            s.Value.TryGetProperty("producers", out var p) && p.ValueKind == JsonValueKind.Array
                ? p.EnumerateArray().Select(x => x.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "").ToList()
                : []);
    }

    /// <summary>Waits until go2rtc's stream names are exactly <paramref name="names"/>.</summary>
    public async Task<Dictionary<string, List<string>>> WaitGo2rtcStreams(IEnumerable<string> names, double seconds = 15)
    {
        var want = names.Order().ToList();
        Dictionary<string, List<string>>? last = null;
        return await Wait.Until(async () =>
        {
            last = await Go2rtcStreams();
            return last.Keys.Order().SequenceEqual(want) ? last : null;
        }, TimeSpan.FromSeconds(seconds), $"go2rtc streams to be [{string.Join(",", want)}]");
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await App.StopAsync(timeout.Token);
            await App.DisposeAsync();
        }
        Http?.Dispose();
        Go2rtcHttp.Dispose();
        Dir.Dispose();
    }
}
