using LightNvr.Board;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Streams;

namespace LightNvr.Web;

/// <summary>
/// The status page with every word, colour, sentence and number already decided: the server renders
/// it at <c>GET /</c> and serves it at <c>GET /api/status/view</c>, and status.js only puts it into the
/// page. So the page's rules live here once, as a pure function of the state.
/// </summary>
/// <param name="Banner">The one sentence that must not be missed, or null for no banner.</param>
/// <param name="Log">go2rtc's last lines as a person reads them, one block of text.</param>
public sealed record StatusView(string Version, bool StandIn, string? Banner, Go2rtcPanel Go2rtc, IReadOnlyList<RestartLine> Restarts,
    IReadOnlyList<CameraCard> Cameras, ConfigPanel Config, BoardPanel Board, string Log)
{
    public const string CamerasOrNetworkDown =
        "Most cameras are down and restarting go2rtc did not bring them back: the cameras or the network are down, not go2rtc.";
    public const string CpuHigh = "go2rtc has used over 90 % of a core for 5 minutes (transcoding?).";
    public const string NoLog = "(nothing yet)";
    public const int RestartsShown = 10;

    public static StatusView Of(StatusReport report, IReadOnlyList<CameraView> cameras, BoardView board)
    {
        var h = report.Health;
        return new StatusView(report.Version, report.Go2rtc.Status.StandIn, BannerOf(h), Go2rtcPanel.Of(report),
            h.Restarts.Reverse().Take(RestartsShown).Select(RestartLine.Of).ToList(),
            cameras.Select(c => CameraCard.Of(c, h.Streams.FirstOrDefault(s => s.Camera == c.Name))).ToList(),
            ConfigPanel.Of(report.Config, report.WriteErrors ?? []), BoardPanel.Of(board),
            report.Go2rtc.RecentLog.Count == 0 ? NoLog : string.Join('\n', report.Go2rtc.RecentLog.Select(LogView.Humanize)));
    }

    /// <summary>go2rtc given up on first, then cameras that a restart did not bring back, then a CPU warning.</summary>
    public static string? BannerOf(HealthSnapshot h) =>
        h.Failed ?? (h.Consensus == ConsensusVerdict.CamerasOrNetworkDown ? CamerasOrNetworkDown : null) ?? (h.CpuWarning ? CpuHigh : null);
}

/// <summary>A word and its colour (<c>ok</c>, <c>warn</c>, <c>bad</c> or <c>muted</c>: the pill's CSS class).</summary>
public sealed record Pill(string Word, string Tone);

/// <summary>The go2rtc panel: its phase and facts, each already a display string.</summary>
public sealed record Go2rtcPanel(Pill Phase, string Message, string Version, string Pid, string Uptime, string Memory, string Restarts, string LastExit)
{
    public static Go2rtcPanel Of(StatusReport report)
    {
        var g = report.Go2rtc.Status;
        return new Go2rtcPanel(PhaseOf(g.Phase, report.Build.Go2rtcEnabled), g.Message, g.Version ?? Formats.None, Formats.Number(g.Pid),
            Formats.Duration(report.Go2rtc.UptimeSeconds), Formats.Megabytes(report.Health.RssBytes), Formats.Number(g.Restarts), g.LastExit ?? Formats.None);
    }

    /// <summary>A binary built without go2rtc says so instead of naming a phase.</summary>
    public static Pill PhaseOf(Go2rtcPhase phase, bool built) => new(built ? phase.ToString().ToLowerInvariant() : "not built", phase switch
    {
        Go2rtcPhase.Ready => "ok",
        Go2rtcPhase.Failed or Go2rtcPhase.BinaryProblem or Go2rtcPhase.PortConflict => "bad",
        _ => "warn",
    });
}

/// <param name="At">The moment, machine-readable (ISO 8601), for the time element.</param>
/// <param name="When">The same moment as a person reads it.</param>
/// <param name="Outcome">"ok" or "failed", with " (retry)" for the periodic retry of a failed go2rtc.</param>
public sealed record RestartLine(string At, string When, string Reason, string Outcome)
{
    public static RestartLine Of(RestartEntry r) => new(Formats.Iso(r.At), Formats.When(r.At), RestartReasons.Word(r.Reason),
        (r.Outcome == RestartOutcome.Ok ? "ok" : "failed") + (r.IsRetry ? " (retry)" : ""));
}

/// <summary>One camera's card.</summary>
/// <param name="Watch">The live player's address.</param>
/// <param name="NoFrame">Why no thumbnail is fetched (a disabled camera), or null: the page fetches one.</param>
public sealed record CameraCard(string Name, Pill State, string Rate, string Viewers, string? Why, string Watch, FrameNote? NoFrame)
{
    public static readonly FrameNote Disabled = new("disabled", "this camera is switched off");

    /// <summary>The card of a camera: its stream's liveness when watched, else its registration.</summary>
    public static CameraCard Of(CameraView c, StreamHealth? live)
    {
        var word = !c.Enabled ? "disabled" : live?.State.ToString().ToLowerInvariant() ?? c.State;
        return new CameraCard(c.Name, new Pill(word, Formats.Tone(word)),
            live is null ? Formats.None : Formats.Bitrate(live.BytesPerSecond), live is null ? Formats.None : Formats.Viewers(live.Consumers),
            live?.Why ?? c.Error ?? c.Warning, "/webrtc/" + Uri.EscapeDataString(c.Name), c.Enabled ? null : Disabled);
    }

    /// <summary>The blank card the page clones for a camera added after the first paint.</summary>
    public static CameraCard Template { get; } = new("", new Pill("pending", Formats.Tone("pending")), Formats.None, Formats.None, null, "/webrtc/", null);
}

/// <summary>What the thumbnail area says instead of a picture: a word and a sentence.</summary>
public sealed record FrameNote(string Title, string Detail);

/// <summary>The configuration panel.</summary>
/// <param name="Note">Said after the state, e.g. that the appliance runs on the last valid copy.</param>
/// <param name="WriteErrors">Failed saves (disk full, read-only folder), shown until the same file is written again.</param>
public sealed record ConfigPanel(string Path, Pill State, string? Note, IReadOnlyList<string> Errors, IReadOnlyList<string> WriteErrors)
{
    public static ConfigPanel Of(ConfigState c, IReadOnlyList<string> writeErrors) => new(c.Path,
        c.Valid ? new Pill("valid", "ok") : new Pill("has errors", "bad"),
        !c.Valid && c.UsingLastGood ? "running on the last valid copy" : null, c.Errors, writeErrors);
}

/// <summary>The board panel and the header's LED.</summary>
/// <param name="Led">The LED's pattern word (also the CSS hook that animates the header's LED).</param>
public sealed record BoardPanel(string Led, string Meaning, string LastPress, string LedDevice, string Button, string Console)
{
    public static BoardPanel Of(BoardView b) => new(b.Led, b.Meaning, "last: " + b.LastButtonPress, b.LedDevice, b.Button, b.Console);
}
