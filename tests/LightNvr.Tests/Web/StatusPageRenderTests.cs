using LightNvr.Board;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Streams;
using LightNvr.Web;

namespace LightNvr.Tests.Web;

public class StatusPageRenderTests
{
    private static string Render(IReadOnlyList<string> configErrors, IReadOnlyList<string> log, HealthSnapshot? health = null)
    {
        var g = new Go2rtcStatus { Phase = Go2rtcPhase.Ready, Pid = 4242, Version = "1.9.14", Message = "ready" };
        var h = health ?? HealthSnapshot.Initial(g);
        var report = new StatusReport("0.1.0", 12, BuildInfo.Current, new ConfigState("/etc/lightnvr/lightnvr.yaml", configErrors.Count == 0, false, configErrors),
            new Go2rtcReport(g, 3725, log), h);
        var cam = new CameraView("front", "rtsp://***@10.0.0.5/main", null, true, null, true, true, null, null, null, null, null, null, null, false,
            "registered", null, null, []);
        return StatusPage.Render(StatusView.Of(report, [cam], BoardView.From(h, configErrors.Count, true)));
    }

    [Test]
    public async Task Every_value_is_html_encoded_and_the_assets_are_ours()
    {
        var html = Render(["lightnvr.yaml:1:1: web.port: <script>alert(1)</script>"], ["<b>not bold</b>"]);
        await Assert.That(html).DoesNotContain("<script>alert(1)");
        await Assert.That(html).Contains("&lt;script&gt;");
        await Assert.That(html).DoesNotContain("<b>not bold");
        await Assert.That(html).Contains($"<link rel=\"stylesheet\" href=\"{StatusAssets.Css.Url}\">");
        await Assert.That(html).Contains($"<script src=\"{StatusAssets.Js.Url}\" defer></script><script src=\"{StatusAssets.FormJs.Url}\" defer></script>");
        await Assert.That(html).DoesNotContain("http://").Because("no external assets: the appliance is often offline");
        await Assert.That(html).DoesNotContain("https://");
    }

    [Test]
    public async Task Page_shows_go2rtc_facts_the_camera_card_and_its_webrtc_link()
    {
        var h = HealthSnapshot.Initial(new Go2rtcStatus { Phase = Go2rtcPhase.Ready }) with
        {
            RssBytes = 25 * 1048576,
            Streams = [new StreamHealth("front", "front", Liveness.Live, 1000, 250_000, 2, null)],
            Restarts = [new RestartEntry(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), RestartReason.Hung, RestartOutcome.Ok)],
        };
        var html = Render([], [], h);
        await Assert.That(html).Contains("<dd id=\"g-pid\">4242</dd>");
        await Assert.That(html).Contains("<dd id=\"g-uptime\">1h 2m</dd>");
        await Assert.That(html).Contains("<dd id=\"g-rss\">25.0 MB</dd>");
        await Assert.That(html).Contains("href=\"/webrtc/front\"");
        await Assert.That(html).Contains(">2.0 Mbit/s<");
        await Assert.That(html).Contains(">2 viewers<");
        await Assert.That(html).Contains("<span class=\"pill ok\" data-f=\"state\">live</span>");
        await Assert.That(html).Contains("<b>hung</b> ok");
        await Assert.That(html).Contains("data-led=\"solid\"");
        await Assert.That(html).Contains("last: none");
    }

    [Test]
    public async Task Json_log_lines_read_as_text_and_other_lines_pass_unchanged()
    {
        await Assert.That(LogView.Humanize("""{"level":"info","addr":"127.0.0.1:1984","time":1767261600123,"message":"[api] listen"}"""))
            .IsEqualTo("10:00:00.123 INF [api] listen addr=127.0.0.1:1984");
        await Assert.That(LogView.Humanize("12:00:00.000 WRN plain text")).IsEqualTo("12:00:00.000 WRN plain text");
        await Assert.That(LogView.Humanize("{not json")).IsEqualTo("{not json");
    }

    [Test]
    public async Task Assets_are_served_cacheable_under_a_content_hash()
    {
        await Assert.That(StatusAssets.Css.Url).Matches(@"^/static/status\.[0-9a-f]{12}\.css$");
        await Assert.That(StatusAssets.Js.Url).Matches(@"^/static/status\.[0-9a-f]{12}\.js$");
        await Assert.That(StatusAssets.FormJs.Url).Matches(@"^/static/camera-form\.[0-9a-f]{12}\.js$");
        await Assert.That(StatusAssets.Text(StatusAssets.Js)).Contains("/api/status/view");
    }

    /// <summary>The page's rules live in <see cref="StatusView"/> once: the scripts only put the view into the page.</summary>
    [Test]
    [Arguments("Mbit/s")]
    [Arguments("kbit/s")]
    [Arguments("1 viewer")]
    [Arguments(" MB")]
    [Arguments("1048576")]
    [Arguments("86400")]
    [Arguments("toLocaleString")]
    [Arguments("Most cameras are down")]
    [Arguments("transcoding")]
    [Arguments("has errors")]
    [Arguments("last valid copy")]
    [Arguments("config-changed")]
    [Arguments("(retry)")]
    [Arguments("switched off")]
    [Arguments("(nothing yet)")]
    [Arguments("'registered'")]
    [Arguments("'unreachable'")]
    [Arguments("'portconflict'")]
    [Arguments("'last: '")]
    public async Task The_scripts_hold_no_word_colour_sentence_or_number_format_of_the_state(string rule) =>
        await Assert.That(StatusAssets.Text(StatusAssets.Js) + StatusAssets.Text(StatusAssets.FormJs)).DoesNotContain(rule);
}
