using Microsoft.Playwright;

namespace LightNvr.Tests.Support;

/// <summary>
/// Headless Debian chromium driven by Playwright (offline: the driver ships in the NuGet package,
/// the browser is the apt one). One browser per test keeps tests independent.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    public IBrowser Chromium { get; }

    private Browser(IPlaywright playwright, IBrowser chromium) { _playwright = playwright; Chromium = chromium; }

    /// <param name="webrtc">
    /// Lets chromium offer 127.0.0.1 ICE candidates (with the camera permission on the context, see
    /// <see cref="NewPage"/>): without both it offers only the default-route address, never loopback.
    /// </param>
    public static async Task<Browser> Launch(bool webrtc = false)
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is missing: run `make deps`");
        var playwright = await Playwright.CreateAsync();
        string[] args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];
        if (webrtc) args = [.. args, "--allow-loopback-in-peer-connection"];
        var chromium = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable, Headless = true, ChromiumSandbox = false, Args = args, Timeout = 60_000,
        });
        return new Browser(playwright, chromium);
    }

    /// <summary>A page in a fresh context (own cookies) of the given viewport width and height.</summary>
    public async Task<IPage> NewPage(int width = 1280, int height = 800, bool media = false)
    {
        var context = await Chromium.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            Permissions = media ? ["camera", "microphone"] : [],
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Where screenshots go: build/screenshots in the repository (looked at by people, kept out of git).</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = Repo.PathOf("build", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.CloseAsync();
        _playwright.Dispose();
    }
}
