using System.Text.Json;
using LightNvr.Board;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Tests.Support;
using LightNvr.Web;
using Microsoft.Playwright;
using static LightNvr.Tests.Web.StatusViewTests;

namespace LightNvr.Tests.Web;

/// <summary>
/// The first paint and the JSON view agree: a page painted from one state, whose script then receives
/// the JSON view of another state, ends up as the page painted from that other state, element for
/// element (the thumbnails aside: they come from the cameras, not from the view).
/// </summary>
public class StatusViewAgreementTests
{
    private const string Origin = "http://status.test";

    /// <summary>The page's DOM as comparable text: attributes sorted, blank text left out, the script's own bookkeeping left out.</summary>
    private const string Snapshot = """
        () => {
          const own = new Set(['data-key', 'data-started', 'data-frame']);
          const walk = n => {
            if (n.nodeType === 3) return n.data.trim() ? JSON.stringify(n.data) : '';
            if (n.nodeType !== 1 || n.matches('script, .thumb')) return '';
            const attrs = [...n.attributes].filter(a => !own.has(a.name)).map(a => a.name + '=' + JSON.stringify(a.value)).sort().join(' ');
            return '\n<' + n.localName + (attrs ? ' ' + attrs : '') + '>' + [...n.childNodes].map(walk).join('') + '</' + n.localName + '>';
          };
          return walk(document.body);
        }
        """;

    private static StatusView Before()
    {
        var h = HealthSnapshot.Initial(new Go2rtcStatus { Phase = Go2rtcPhase.Ready }) with
        {
            RssBytes = 20 * 1048576,
            Streams = [new StreamHealth("front", "front", Liveness.Live, 1000, 250_000, 2, null)],
            Restarts = [new RestartEntry(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), RestartReason.Hung, RestartOutcome.Ok)],
        };
        var g = new Go2rtcStatus { Phase = Go2rtcPhase.Ready, Pid = 4242, Version = "1.9.14", Message = "ready" };
        return StatusView.Of(Report(g, h), [Camera("front"), Camera("gone")], BoardView.From(h, 0, true));
    }

    /// <summary>Everything changed: go2rtc backing off, a banner, a stalled stream, one camera gone and a disabled one added, config errors, log lines.</summary>
    private static StatusView After()
    {
        var g = new Go2rtcStatus { Phase = Go2rtcPhase.Backoff, Message = "retrying <soon>", StandIn = true, Restarts = 2, LastExit = "exit code 2" };
        var h = HealthSnapshot.Initial(g) with
        {
            Consensus = ConsensusVerdict.CamerasOrNetworkDown,
            Streams = [new StreamHealth("front", "front", Liveness.Stalled, 1000, 0, 0, "no bytes for 20 s")],
            Restarts =
            [
                new RestartEntry(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), RestartReason.Hung, RestartOutcome.Ok),
                new RestartEntry(new DateTimeOffset(2026, 1, 1, 11, 30, 0, TimeSpan.Zero), RestartReason.ConfigChanged, RestartOutcome.Failed, IsRetry: true),
            ],
        };
        var config = new ConfigState("/etc/lightnvr/lightnvr.yaml", false, true, ["lightnvr.yaml:2:7: web.port: <script>alert(1)</script>"]);
        var log = new[] { """{"level":"warn","time":1767261600123,"message":"[rtsp] dial","url":"rtsp://***@cam"}""", "plain & simple" };
        var report = Report(g, h, config, log, uptime: null, writeErrors: ["streams.yaml: disk full"]) with { Version = "0.2.0" };
        return StatusView.Of(report, [Camera("front"), Camera("back yard", enabled: false, state: "disabled")], BoardView.From(h, 1, true));
    }

    /// <summary>Serves the page of <paramref name="paint"/> and, when <paramref name="script"/>, its script with <paramref name="view"/> as the JSON view.</summary>
    private static async Task<IPage> Open(Browser browser, StatusView paint, StatusView view, bool script)
    {
        var page = await browser.NewPage();
        var json = JsonSerializer.Serialize(view, LightNvr.Web.WebJson.Default.StatusView);
        await page.RouteAsync("**/*", route => new Uri(route.Request.Url).AbsolutePath switch
        {
            "/" => route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = StatusPage.Render(paint) }),
            var p when p == StatusAssets.Css.Url => route.FulfillAsync(new() { Status = 200, ContentType = StatusAssets.Css.ContentType, BodyBytes = StatusAssets.Css.Body }),
            var p when p == StatusAssets.Js.Url && script => route.FulfillAsync(new() { Status = 200, ContentType = StatusAssets.Js.ContentType, BodyBytes = StatusAssets.Js.Body }),
            "/api/status/view" => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = json }),
            _ => route.FulfillAsync(new() { Status = 404, ContentType = "application/problem+json", Body = """{"title":"not here"}""" }),
        });
        await page.GotoAsync(Origin + "/");
        return page;
    }

    [Test]
    public async Task The_script_turns_one_first_paint_into_the_first_paint_of_the_view_it_receives()
    {
        var before = Before();
        var after = After();
        await using var browser = await Browser.Launch();
        var expected = await (await Open(browser, after, after, script: false)).EvaluateAsync<string>(Snapshot);
        var untouched = await (await Open(browser, before, before, script: false)).EvaluateAsync<string>(Snapshot);
        await Assert.That(untouched).IsNotEqualTo(expected).Because("the two states must look different, or the test proves nothing");

        var page = await Open(browser, before, after, script: true);
        try
        {
            await page.WaitForFunctionAsync($"expected => ({Snapshot})() === expected", expected, new() { Timeout = 30_000, PollingInterval = 100 });
        }
        catch (TimeoutException) { /* the comparison below shows the difference */ }
        var actual = await page.EvaluateAsync<string>(Snapshot);
        await Assert.That(actual).IsEqualTo(expected);
        // The camera added after the first paint is disabled: its thumbnail says so, in the server's words.
        await page.WaitForFunctionAsync("() => document.querySelector('.cam[data-name=\"back yard\"]')?.dataset.frame === 'disabled'", null, new() { Timeout = 30_000 });
        await Assert.That(await page.Locator(".cam[data-name=\"back yard\"] [data-f=frame]").EvaluateAsync<string>("e => e.innerHTML"))
            .IsEqualTo("<b>disabled</b><span>this camera is switched off</span>");
    }
}
