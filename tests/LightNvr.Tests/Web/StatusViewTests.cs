using LightNvr.Board;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Streams;
using LightNvr.Web;

namespace LightNvr.Tests.Web;

/// <summary>The status page's view model: every word, colour, sentence and number, as a pure function of the state.</summary>
public class StatusViewTests
{
    internal static CameraView Camera(string name, bool enabled = true, string state = "registered", string? error = null, string? warning = null) =>
        new(name, "rtsp://***@10.0.0.5/main", null, true, null, enabled, true, null, null, null, null, null, null, null, false, state, error, warning, []);

    internal static StatusReport Report(Go2rtcStatus g, HealthSnapshot? health = null, ConfigState? config = null, IReadOnlyList<string>? log = null,
        double? uptime = 3725, bool built = true, IReadOnlyList<string>? writeErrors = null) =>
        new("0.1.0", 12, BuildInfo.Current with { Go2rtcEnabled = built }, config ?? new ConfigState("/etc/lightnvr/lightnvr.yaml", true, false, []),
            new Go2rtcReport(g, uptime, log ?? []), health ?? HealthSnapshot.Initial(g), writeErrors);

    private static readonly Go2rtcStatus Ready = new() { Phase = Go2rtcPhase.Ready, Pid = 4242, Version = "1.9.14", Message = "ready", Restarts = 3 };

    [Test]
    [Arguments(0, "0 kbit/s")]
    [Arguments(62.5, "1 kbit/s")]          // 0.5 kbit/s rounds up, as a person expects
    [Arguments(12_345, "99 kbit/s")]
    [Arguments(124_937.5, "1.0 Mbit/s")]   // 999.5 kbit/s would round to "1000 kbit/s": it reads as Mbit/s instead
    [Arguments(125_000, "1.0 Mbit/s")]
    [Arguments(250_000, "2.0 Mbit/s")]
    [Arguments(1_000_000, "8.0 Mbit/s")]
    public async Task Bitrate_is_kbit_below_a_megabit_then_mbit_with_one_decimal(double bytesPerSecond, string expected) =>
        await Assert.That(Formats.Bitrate(bytesPerSecond)).IsEqualTo(expected);

    [Test]
    [Arguments(0, "0 viewers")]
    [Arguments(1, "1 viewer")]
    [Arguments(2, "2 viewers")]
    public async Task Viewers_are_counted_in_words(int n, string expected) => await Assert.That(Formats.Viewers(n)).IsEqualTo(expected);

    [Test]
    [Arguments(null, "—")]
    [Arguments(-1.0, "—")]
    [Arguments(double.NaN, "—")]
    [Arguments(0.0, "0s")]
    [Arguments(59.9, "59s")]
    [Arguments(60.0, "1m 0s")]
    [Arguments(3725.0, "1h 2m")]
    [Arguments(86_400.0, "1d 0h 0m")]
    [Arguments(90_061.0, "1d 1h 1m")]
    [Arguments(double.PositiveInfinity, "10675199d 2h 48m")] // a broken clock must not end the page
    public async Task Durations_show_their_two_largest_units(double? seconds, string expected) =>
        await Assert.That(Formats.Duration(seconds)).IsEqualTo(expected);

    [Test]
    [Arguments(0L, "—")]
    [Arguments(-5L, "—")]
    [Arguments(1L, "0.0 MB")]
    [Arguments(1_572_864L, "1.5 MB")]
    [Arguments(26_214_400L, "25.0 MB")]
    public async Task Memory_is_megabytes_with_one_decimal_and_nothing_measured_is_a_dash(long bytes, string expected) =>
        await Assert.That(Formats.Megabytes(bytes)).IsEqualTo(expected);

    [Test]
    public async Task Moments_are_utc_and_say_so()
    {
        var at = new DateTimeOffset(2026, 1, 1, 10, 0, 5, TimeSpan.FromHours(2));
        await Assert.That(Formats.When(at)).IsEqualTo("2026-01-01 08:00:05 UTC");
        await Assert.That(Formats.Iso(at)).IsEqualTo("2026-01-01T08:00:05Z");
    }

    [Test]
    [Arguments(true, "registered", null, "registered", "ok")]
    [Arguments(true, "pending", null, "pending", "warn")]
    [Arguments(true, "error", null, "error", "bad")]
    [Arguments(true, "registered", Liveness.Live, "live", "ok")]
    [Arguments(true, "registered", Liveness.Starting, "starting", "warn")]
    [Arguments(true, "registered", Liveness.Stalled, "stalled", "bad")]
    [Arguments(true, "registered", Liveness.Unreachable, "unreachable", "bad")]
    [Arguments(true, "registered", Liveness.Error, "error", "bad")]
    [Arguments(true, "registered", Liveness.Idle, "idle", "muted")]
    [Arguments(false, "disabled", Liveness.Live, "disabled", "muted")] // switched off wins over a stream still flowing
    public async Task A_card_names_its_stream_state_when_watched_else_its_registration(bool enabled, string registration, Liveness? live, string word, string tone)
    {
        var stream = live is { } l ? new StreamHealth("cam", "cam", l, 1000, 250_000, 2, null) : null;
        var card = CameraCard.Of(Camera("cam", enabled, registration), stream);
        await Assert.That(card.State).IsEqualTo(new Pill(word, tone));
        await Assert.That(card.Rate).IsEqualTo(live is null ? "—" : "2.0 Mbit/s");
        await Assert.That(card.Viewers).IsEqualTo(live is null ? "—" : "2 viewers");
        await Assert.That(card.NoFrame).IsEqualTo(enabled ? null : CameraCard.Disabled);
    }

    [Test]
    public async Task A_cards_reason_is_the_streams_then_the_registration_error_then_the_warning_and_its_link_is_escaped()
    {
        var stalled = new StreamHealth("front door", "front door", Liveness.Stalled, 0, 0, 0, "no bytes for 20 s");
        await Assert.That(CameraCard.Of(Camera("front door", error: "refused", warning: "slow"), stalled).Why).IsEqualTo("no bytes for 20 s");
        await Assert.That(CameraCard.Of(Camera("front door", state: "error", error: "refused", warning: "slow"), null).Why).IsEqualTo("refused");
        await Assert.That(CameraCard.Of(Camera("front door", warning: "slow"), null).Why).IsEqualTo("slow");
        await Assert.That(CameraCard.Of(Camera("front door"), null).Why).IsNull();
        await Assert.That(CameraCard.Of(Camera("front door"), null).Watch).IsEqualTo("/webrtc/front%20door");
    }

    [Test]
    [Arguments("go2rtc failed 5 times in 10 minutes", ConsensusVerdict.CamerasOrNetworkDown, true, "go2rtc failed 5 times in 10 minutes")]
    [Arguments(null, ConsensusVerdict.CamerasOrNetworkDown, true, StatusView.CamerasOrNetworkDown)]
    [Arguments(null, ConsensusVerdict.RestartGo2rtc, true, StatusView.CpuHigh)]
    [Arguments(null, ConsensusVerdict.None, false, null)]
    public async Task The_banner_says_the_most_serious_thing_or_nothing(string? failed, ConsensusVerdict consensus, bool cpu, string? expected)
    {
        var h = HealthSnapshot.Initial(Ready) with { Failed = failed, Consensus = consensus, CpuWarning = cpu };
        await Assert.That(StatusView.BannerOf(h)).IsEqualTo(expected);
    }

    [Test]
    [Arguments(Go2rtcPhase.Ready, true, "ready", "ok")]
    [Arguments(Go2rtcPhase.Starting, true, "starting", "warn")]
    [Arguments(Go2rtcPhase.Backoff, true, "backoff", "warn")]
    [Arguments(Go2rtcPhase.Failed, true, "failed", "bad")]
    [Arguments(Go2rtcPhase.BinaryProblem, true, "binaryproblem", "bad")]
    [Arguments(Go2rtcPhase.PortConflict, true, "portconflict", "bad")]
    [Arguments(Go2rtcPhase.NotBuilt, false, "not built", "warn")]
    public async Task The_go2rtc_phase_has_one_word_and_colour(Go2rtcPhase phase, bool built, string word, string tone) =>
        await Assert.That(Go2rtcPanel.PhaseOf(phase, built)).IsEqualTo(new Pill(word, tone));

    [Test]
    public async Task The_go2rtc_panel_shows_its_facts_and_a_dash_for_what_does_not_exist()
    {
        var ready = Go2rtcPanel.Of(Report(Ready, HealthSnapshot.Initial(Ready) with { RssBytes = 25 * 1048576 }));
        await Assert.That(ready).IsEqualTo(new Go2rtcPanel(new Pill("ready", "ok"), "ready", "1.9.14", "4242", "1h 2m", "25.0 MB", "3", "—"));
        var gone = new Go2rtcStatus { Phase = Go2rtcPhase.Backoff, Message = "retrying in 4 s", LastExit = "exit code 2" };
        await Assert.That(Go2rtcPanel.Of(Report(gone, uptime: null)))
            .IsEqualTo(new Go2rtcPanel(new Pill("backoff", "warn"), "retrying in 4 s", "—", "—", "—", "—", "0", "exit code 2"));
    }

    [Test]
    public async Task Restarts_show_the_newest_ten_first_with_their_reason_word_and_outcome()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var restarts = Enumerable.Range(0, 12).Select(i => new RestartEntry(t0.AddMinutes(i), RestartReason.Hung, RestartOutcome.Ok)).ToList();
        restarts.Add(new RestartEntry(t0.AddHours(1), RestartReason.ConfigChanged, RestartOutcome.Failed, IsRetry: true));
        var view = StatusView.Of(Report(Ready, HealthSnapshot.Initial(Ready) with { Restarts = restarts }), [], BoardView.From(HealthSnapshot.Initial(Ready), 0, true));
        await Assert.That(view.Restarts.Count).IsEqualTo(StatusView.RestartsShown);
        await Assert.That(view.Restarts[0]).IsEqualTo(new RestartLine("2026-01-01T11:00:00Z", "2026-01-01 11:00:00 UTC", "config-changed", "failed (retry)"));
        await Assert.That(view.Restarts[1]).IsEqualTo(new RestartLine("2026-01-01T10:11:00Z", "2026-01-01 10:11:00 UTC", "hung", "ok"));
        await Assert.That(view.Restarts[^1].At).IsEqualTo("2026-01-01T10:03:00Z");
    }

    [Test]
    public async Task The_config_state_says_valid_or_has_errors_and_when_it_runs_on_the_last_valid_copy()
    {
        var valid = ConfigPanel.Of(new ConfigState("/c.yaml", true, false, []), []);
        await Assert.That(valid.State).IsEqualTo(new Pill("valid", "ok"));
        await Assert.That(valid.Note).IsNull();
        var lastGood = ConfigPanel.Of(new ConfigState("/c.yaml", false, true, ["c.yaml:1:1: web.port: bad"]), ["disk full"]);
        await Assert.That(lastGood.State).IsEqualTo(new Pill("has errors", "bad"));
        await Assert.That(lastGood.Note).IsEqualTo("running on the last valid copy");
        await Assert.That(lastGood.Errors).IsEquivalentTo(["c.yaml:1:1: web.port: bad"]);
        await Assert.That(lastGood.WriteErrors).IsEquivalentTo(["disk full"]);
        await Assert.That(ConfigPanel.Of(new ConfigState("/c.yaml", false, false, ["x"]), []).Note).IsNull();
    }

    [Test]
    public async Task The_view_carries_the_log_humanized_the_board_and_the_cameras_with_their_streams()
    {
        var h = HealthSnapshot.Initial(Ready) with { Streams = [new StreamHealth("back", "back", Liveness.Live, 1, 125_000, 1, null)] };
        var log = new[] { """{"level":"info","time":1767261600123,"message":"[api] listen"}""", "plain" };
        var view = StatusView.Of(Report(Ready, h, log: log), [Camera("front"), Camera("back")], BoardView.From(h, 0, true));
        await Assert.That(view.Log).IsEqualTo("10:00:00.123 INF [api] listen\nplain");
        await Assert.That(StatusView.Of(Report(Ready, h), [], BoardView.From(h, 0, true)).Log).IsEqualTo(StatusView.NoLog);
        await Assert.That(view.Board.LastPress).IsEqualTo("last: none");
        await Assert.That(view.Board.Led).IsEqualTo(BoardView.From(h, 0, true).Led);
        await Assert.That(view.Cameras.Select(c => c.State.Word).ToArray()).IsEquivalentTo(["registered", "live"], TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(view.Cameras[1].Viewers).IsEqualTo("1 viewer");
        await Assert.That(view.Banner).IsNull();
        await Assert.That(view.Version).IsEqualTo("0.1.0");
    }
}
