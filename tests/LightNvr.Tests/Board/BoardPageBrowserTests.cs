using LightNvr.Tests.Support;
using Microsoft.Playwright;

namespace LightNvr.Tests.Board;

/// <summary>The status page's Board panel in a real browser, with an LED, a button and a console configured.</summary>
[NotInParallel("go2rtc-lifecycle")]
public class BoardPageBrowserTests
{
    private const string Password = "board-page-password";

    [Test]
    public async Task The_board_panel_shows_the_led_its_driver_the_button_and_the_console()
    {
        using var leds = new TempDir();
        Directory.CreateDirectory(leds.File("ACT"));
        File.WriteAllText(leds.File("ACT/trigger"), "none timer heartbeat [mmc0]\n");
        File.WriteAllText(leds.File("ACT/brightness"), "0\n");
        using var pty = new PseudoTerminal();
        await using var app = new AppHarness().WithPassword(Password);
        app.Board = new LightNvr.Board.BoardRoots(leds.Path);
        app.Config.Board.Led.Driver = "sysfs";
        app.Config.Board.Button.Chip = "lnvr-sim"; // no such chip on the build machine: the page says why
        app.Config.Board.Console.Device = pty.SlavePath;
        await app.Start();
        await app.WaitReady();
        await pty.WaitFor("lightnvr> ");
        await Wait.Until(() => File.ReadAllText(leds.File("ACT/brightness")) == "1", TimeSpan.FromSeconds(20), "the LED lit (solid: all good)");

        await using var browser = await Support.Browser.Launch();
        var page = await browser.NewPage(1280, 900);
        await AuthClients.SignIn(page, app.Http.BaseAddress!.ToString(), Password);
        await page.GotoAsync(app.Http.BaseAddress!.ToString());
        await Assertions.Expect(page.Locator("#b-led")).ToHaveTextAsync("solid");
        await Assertions.Expect(page.Locator("#b-led-device")).ToHaveTextAsync("sysfs ACT (trigger mmc0 restored on exit)");
        await Assertions.Expect(page.Locator("#b-console")).ToHaveTextAsync($"{pty.SlavePath} 115200 8N1: open");
        await Assertions.Expect(page.Locator("#b-button-device")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(
            "^gpio lnvr-sim line 27 \\(pull up, active low\\): error: (libgpiod.so.2 is not installed|no GPIO chip named 'lnvr-sim')"),
            new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#b-button")).ToHaveTextAsync("last: none");
        await page.Locator("#b-led").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Support.Browser.ScreenshotPath("status-board-1280.png"), FullPage = true });
    }
}
