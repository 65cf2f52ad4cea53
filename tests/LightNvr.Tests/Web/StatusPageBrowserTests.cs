using System.Diagnostics;
using LightNvr.Tests.Support;
using Microsoft.Playwright;

namespace LightNvr.Tests.Web;

/// <summary>The status page in headless chromium against the real appliance and go2rtc (stand-in or real).</summary>
[NotInParallel("go2rtc-lifecycle")]
public class StatusPageBrowserTests
{
    private const string Password = "status-test-password";

    /// <summary>The appliance, a browser, and pages on the status page: opened in ONE place (sign-in goes in <see cref="Open"/>).</summary>
    private sealed class Session : IAsyncDisposable
    {
        public required AppHarness App { get; init; }
        public required Browser Browser { get; init; }

        public static async Task<Session> Open(Func<AppHarness, string>? streamsYaml = null)
        {
            var app = new AppHarness().WithPassword(Password);
            app.Config.Health.WarmUpSeconds = 3; // a dead camera shows as down within seconds, not minutes
            if (streamsYaml is not null) await File.WriteAllTextAsync(app.StreamsPath, streamsYaml(app));
            await app.Start();
            await app.WaitReady();
            return new Session { App = app, Browser = await Support.Browser.Launch() };
        }

        /// <summary>A fresh page showing the status page at this viewport (sign-in, once it exists, goes here).</summary>
        public async Task<IPage> Open(int width = 1280, int height = 800)
        {
            var page = await Browser.NewPage(width, height);
            await AuthClients.SignIn(page, App.Http.BaseAddress!.ToString(), Password); // lands on the status page
            await page.GotoAsync(App.Http.BaseAddress!.ToString());
            return page;
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            await App.DisposeAsync();
        }
    }

    private static string Camera(string name, int port, string? sub = null) =>
        $"  - name: {name}\n    url: rtsp://127.0.0.1:{port}/{name}\n" + (sub is null ? "" : $"    sub_url: rtsp://127.0.0.1:{port}/{sub}\n");

    /// <summary>Waits (generously) until a script condition holds in the page.</summary>
    private static Task Until(IPage page, string condition, object? arg = null) =>
        page.WaitForFunctionAsync(condition, arg, new() { Timeout = 30_000, PollingInterval = 100 });

    [Test]
    public async Task Page_shows_thumbnails_frame_errors_and_fits_a_phone_and_a_desktop()
    {
        await using var s = await Session.Open(a =>
        {
            var rtsp = a.Config.Go2rtc.RtspPort;
            return "cameras:\n" + Camera("front_door", rtsp) + Camera("garage", rtsp, "garage_low")
                   + $"  - name: backyard\n    url: rtsp://127.0.0.1:{Ports.Free()}/dead\n"; // nothing listens there
        });
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            var page = await s.Open(width, height);
            await Until(page, "() => ['front_door','garage'].every(n => document.querySelector(`.cam[data-name=${n}]`)?.dataset.frame === 'ok')");
            await Until(page, "() => document.querySelector('.cam[data-name=backyard]')?.dataset.frame === 'camera-unreachable'");
            await Assert.That(await page.Locator(".cam[data-name=backyard] [data-f=frame]").InnerTextAsync()).Contains("camera-unreachable");
            await Assert.That(await page.Locator(".cam[data-name=front_door] img").EvaluateAsync<int>("i => i.naturalWidth")).IsGreaterThan(0);
            await Until(page, "() => document.querySelector('.cam[data-name=front_door] [data-f=state]').textContent === 'live'");
            await Until(page, "() => document.querySelector('.cam[data-name=backyard] [data-f=state]').textContent === 'unreachable'"); // go2rtc's dial error, kept until bytes flow
            await Assert.That(await page.Locator("#g-phase").InnerTextAsync()).IsEqualTo("ready");
            await Until(page, "() => document.querySelector('#led').dataset.led === 'double-blink'"); // a camera is down
            await Assert.That(await page.Locator(".cam[data-name=garage] [data-f=watch]").GetAttributeAsync("href")).IsEqualTo("/webrtc/garage");
            await Assert.That(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).IsTrue()
                .Because($"nothing may overflow sideways at {width} px");
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"status-{width}.png"), FullPage = true });
        }
    }

    [Test]
    public async Task The_page_follows_go2rtc_without_a_reload_when_it_is_killed()
    {
        await using var s = await Session.Open();
        var page = await s.Open();
        var before = s.App.Supervisor.Status.Pid!.Value;
        await Until(page, "pid => document.querySelector('#g-pid').textContent === String(pid)", before);
        // A ready hook holds the next start open, so the page surely sees go2rtc not ready for a while.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = 1;
        s.App.Supervisor.AddReadyHook(async (_, stop) => { if (Interlocked.Exchange(ref armed, 0) == 1) await hold.Task.WaitAsync(stop); });
        Process.GetProcessById(before).Kill();
        await Until(page, "() => document.querySelector('#g-phase').textContent === 'starting'");
        hold.TrySetResult();
        await Until(page, "old => document.querySelector('#g-phase').textContent === 'ready' && !['—', String(old)].includes(document.querySelector('#g-pid').textContent)", before);
        await Assert.That(await page.Locator("#g-pid").InnerTextAsync()).IsEqualTo(s.App.Supervisor.Status.Pid!.Value.ToString());
        await Until(page, "() => document.querySelector('#restarts li')?.textContent.includes('exited')");
    }

    [Test]
    public async Task The_restart_button_restarts_go2rtc()
    {
        await using var s = await Session.Open();
        var page = await s.Open(390, 844);
        var before = s.App.Supervisor.Status.Pid!.Value;
        await page.ClickAsync("#restart");
        await Until(page, "() => document.querySelector('#restart-note').textContent.startsWith('restarted (PID')");
        var after = s.App.Supervisor.Status.Pid!.Value;
        await Assert.That(after).IsNotEqualTo(before);
        await Assert.That(await page.Locator("#restart-note").InnerTextAsync()).IsEqualTo($"restarted (PID {after})");
        await Until(page, "pid => document.querySelector('#g-pid').textContent === String(pid)", after);
        await Until(page, "() => document.querySelector('#restarts li')?.textContent.includes('manual')");
    }

    [Test]
    public async Task The_camera_form_shows_field_errors_then_adds_a_camera_that_appears_and_can_be_removed()
    {
        await using var s = await Session.Open();
        var page = await s.Open(390, 844);
        await Assert.That(await page.Locator("#no-cameras").IsVisibleAsync()).IsTrue();
        await page.ClickAsync("#add-camera");
        await page.FillAsync("#camera-form [name=name]", "porch");
        await page.FillAsync("#camera-form [name=url]", "http//porch");
        await page.ClickAsync("#camera-save");
        await Until(page, "() => document.querySelector('[data-err=url]').textContent.length > 0");
        await Assert.That(await page.Locator("#camera-dialog").IsVisibleAsync()).IsTrue();
        await Assert.That(await page.Locator("#camera-form [name=url]").GetAttributeAsync("aria-invalid")).IsEqualTo("true");
        await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("status-form-390.png") });

        await page.FillAsync("#camera-form [name=url]", $"rtsp://127.0.0.1:{s.App.Config.Go2rtc.RtspPort}/porch");
        await page.ClickAsync("#camera-save");
        await Until(page, "() => !document.querySelector('#camera-dialog').open && document.querySelector('.cam[data-name=porch]')");
        await s.App.WaitGo2rtcStreams(["porch"]);
        await Until(page, "() => document.querySelector('.cam[data-name=porch]').dataset.frame === 'ok'");
        await Assert.That(await page.Locator("#cam-count").InnerTextAsync()).IsEqualTo("1");

        // Edit opens the camera as saved; switching it off shows on its card, in the view's words.
        await page.ClickAsync(".cam[data-name=porch] [data-act=edit]");
        await Until(page, "() => document.querySelector('#camera-dialog').open");
        await Assert.That(await page.Locator("#camera-form [name=url]").InputValueAsync()).IsEqualTo($"rtsp://127.0.0.1:{s.App.Config.Go2rtc.RtspPort}/porch");
        await Assert.That(await page.Locator("#camera-form [name=name]").GetAttributeAsync("readonly")).IsNotNull();
        await page.UncheckAsync("#camera-form [name=enabled]");
        await page.ClickAsync("#camera-save");
        await Until(page, "() => !document.querySelector('#camera-dialog').open");
        await Until(page, "() => document.querySelector('.cam[data-name=porch] [data-f=state]').textContent === 'disabled'");
        await Until(page, "() => document.querySelector('.cam[data-name=porch]').dataset.frame === 'disabled'");
        await Assert.That(await page.Locator(".cam[data-name=porch] [data-f=state]").GetAttributeAsync("class")).IsEqualTo("pill muted");

        await page.ClickAsync(".cam[data-name=porch] [data-act=remove]");
        await page.ClickAsync(".cam[data-name=porch] [data-act=remove]"); // the second click confirms
        await Until(page, "() => !document.querySelector('.cam[data-name=porch]')");
        await s.App.WaitGo2rtcStreams([]);
    }

    [Test]
    public async Task Detection_boxes_are_drawn_over_the_thumbnail_and_a_camera_without_a_feed_draws_nothing()
    {
        await using var s = await Session.Open(a => "cameras:\n" + Camera("cam1", a.Config.Go2rtc.RtspPort) + Camera("cam2", a.Config.Go2rtc.RtspPort));
        var page = await s.Open();
        // The detection feed is another part of the appliance; its answer is given here in its documented shape.
        await page.RouteAsync("**/api/streams/cam1/detections", r => r.FulfillAsync(new()
        {
            Status = 200, ContentType = "application/json",
            Body = """{"stream":"cam1","at":"2026-01-01T00:00:00Z","detector":"ok","detections":[{"label":"person","confidence":0.91,"box":{"x_min":0.1,"y_min":0.2,"x_max":0.5,"y_max":0.9}}]}""",
        }));
        await Until(page, "() => document.querySelectorAll('.cam[data-name=cam1] .box').length === 1");
        var box = page.Locator(".cam[data-name=cam1] .box");
        await Assert.That(await box.InnerTextAsync()).IsEqualTo("person 91%");
        await Assert.That(await box.EvaluateAsync<string>("b => b.style.left + ' ' + b.style.top + ' ' + b.style.width")).IsEqualTo("10% 20% 40%");
        await Until(page, "() => document.querySelector('.cam[data-name=cam2]').dataset.frame === 'ok'");
        await Assert.That(await page.Locator(".cam[data-name=cam2] .box").CountAsync()).IsEqualTo(0);
        await Assert.That(await page.Locator(".cam[data-name=cam2] [data-f=detector]").IsHiddenAsync()).IsTrue();
    }
}
