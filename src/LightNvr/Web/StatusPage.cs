using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using LightNvr.Board;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Status;
using LightNvr.Streams;

namespace LightNvr.Web;

/// <summary>Everything the page shows at first paint; the script then keeps it current.</summary>
public sealed record StatusPageModel(StatusReport Report, IReadOnlyList<CameraView> Cameras, BoardView Board);

/// <summary>
/// The status page a person sees at <c>GET /</c>: server-rendered, every value HTML-encoded. The
/// script (status.js) updates the same elements in place, found by id and data-f attributes.
/// </summary>
public static class StatusPage
{
    private static readonly HtmlEncoder H = HtmlEncoder.Default;
    private static string E(string? s) => H.Encode(s ?? "");

    public static string Render(StatusPageModel m)
    {
        var s = m.Report;
        var g = s.Go2rtc.Status;
        var b = new StringBuilder(8192);
        b.Append($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>LightNVR Appliance</title>
            <link rel="stylesheet" href="{StatusAssets.Css.Url}">
            </head><body>
            <header class="top"><div class="brand"><span class="mark" aria-hidden="true"></span><h1>LightNVR</h1>
            <span class="ver" id="version">{E(s.Version)}</span>
            <span class="standin" id="standin"{(g.StandIn ? "" : " hidden")}>demo: go2rtc stand-in</span></div>
            <div class="led" id="led" data-led="{E(m.Board.Led)}" title="{E(m.Board.Meaning)}"><i aria-hidden="true"></i><small>LED</small><span id="led-word">{E(m.Board.Led)}</span></div>
            <span class="conn" id="conn" hidden>offline — retrying</span>
            <form method="post" action="/logout" class="signout"><button type="submit">Sign out</button></form></header>
            """);
        Banner(b, s.Health, g);
        b.Append("<main class=\"layout\"><div class=\"col\">");
        Cameras(b, m.Cameras, s.Health);
        Log(b, s.Go2rtc.RecentLog);
        b.Append("</div><aside class=\"side\">");
        Go2rtc(b, s);
        Restarts(b, s.Health.Restarts);
        BoardPanel(b, m.Board);
        Config(b, s.Config, s.WriteErrors ?? []);
        b.Append("""
            <section class="panel"><h2>Diagnostics</h2>
            <p class="muted">A zip for a bug report: configuration with credentials removed, go2rtc's and the appliance's logs, health history, version.</p>
            <a class="btn" id="diagnostics" href="/api/diagnostics" download>Download bundle</a></section>
            </aside></main>
            """);
        CameraDialog(b);
        b.Append("<template id=\"camera-card\">");
        Card(b, new CameraView("", "", null, false, null, true, true, null, null, null, null, null, null, null, false, "pending", null, null, []), null);
        b.Append($"</template><script src=\"{StatusAssets.Js.Url}\" defer></script></body></html>");
        return b.ToString();
    }

    private static void Banner(StringBuilder b, HealthSnapshot h, Go2rtcStatus g)
    {
        var text = h.Failed
            ?? (h.Consensus == ConsensusVerdict.CamerasOrNetworkDown
                ? "Most cameras are down and restarting go2rtc did not bring them back: the cameras or the network are down, not go2rtc."
                : null);
        var cpu = h.CpuWarning ? "go2rtc has used over 90 % of a core for 5 minutes (transcoding?)." : null;
        b.Append("<div class=\"banner\" id=\"banner\"").Append(text is null && cpu is null ? " hidden" : "").Append('>')
         .Append(E(text ?? cpu)).Append("</div>");
    }

    private static void Cameras(StringBuilder b, IReadOnlyList<CameraView> cameras, HealthSnapshot h)
    {
        b.Append($"""
            <section class="cams"><div class="section-head"><h2>Cameras <span class="count" id="cam-count">{cameras.Count}</span></h2>
            <button class="btn primary" id="add-camera" type="button">Add camera</button></div>
            <p class="empty" id="no-cameras"{(cameras.Count > 0 ? " hidden" : "")}>No cameras yet. Add one with its RTSP address.</p>
            <div class="grid" id="cameras">
            """);
        foreach (var c in cameras) Card(b, c, h.Streams.FirstOrDefault(x => x.Camera == c.Name));
        b.Append("</div></section>");
    }

    /// <summary>One camera's card; the same markup is the script's template for cameras added later.</summary>
    private static void Card(StringBuilder b, CameraView c, StreamHealth? live)
    {
        var (state, tone) = StateOf(c, live);
        var rate = live is null ? "—" : Bitrate(live.BytesPerSecond);
        var viewers = live is null ? "—" : Viewers(live.Consumers);
        var why = live?.Why ?? c.Error ?? c.Warning;
        var name = E(c.Name);
        b.Append($"""
            <article class="cam" data-name="{name}"><div class="thumb"><img alt="" hidden><div class="boxes"></div>
            <div class="frame-msg" data-f="frame">{(c.Enabled ? "loading…" : "disabled")}</div></div>
            <div class="cam-body"><div class="cam-title"><h3 data-f="name">{name}</h3><span class="pill {tone}" data-f="state">{E(state)}</span></div>
            <div class="cam-meta"><span data-f="rate">{rate}</span><span data-f="viewers">{viewers}</span><span data-f="detector" hidden></span></div>
            <p class="why" data-f="why"{(string.IsNullOrEmpty(why) ? " hidden" : "")}>{E(why)}</p>
            <div class="cam-actions"><a class="btn primary" data-f="watch" href="/webrtc/{Uri.EscapeDataString(c.Name)}">Watch live</a>
            <button class="btn" type="button" data-act="reregister">Re-register</button><button class="btn" type="button" data-act="edit">Edit</button>
            <button class="btn danger" type="button" data-act="remove">Remove</button></div></div></article>
            """);
    }

    /// <summary>The word and colour of a camera's state: its stream's liveness when watched, else its registration.</summary>
    public static (string Word, string Tone) StateOf(CameraView c, StreamHealth? live)
    {
        var word = !c.Enabled ? "disabled" : live?.State.ToString().ToLowerInvariant() ?? c.State;
        return (word, Tone(word));
    }

    public static string Tone(string word) => word switch
    {
        "live" or "registered" => "ok",
        "stalled" or "error" or "unreachable" => "bad",
        "disabled" or "idle" => "muted",
        _ => "warn",
    };

    public static string Bitrate(double bytesPerSecond)
    {
        var kbit = bytesPerSecond * 8 / 1000;
        return kbit >= 1000 ? (kbit / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " Mbit/s" : Math.Round(kbit).ToString(CultureInfo.InvariantCulture) + " kbit/s";
    }

    public static string Viewers(int n) => n == 1 ? "1 viewer" : $"{n} viewers";

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || s < 0) return "—";
        var t = TimeSpan.FromSeconds(Math.Floor(s));
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours}h {t.Minutes}m" : t.TotalHours >= 1 ? $"{t.Hours}h {t.Minutes}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds}s" : $"{t.Seconds}s";
    }

    public static string Megabytes(long bytes) => bytes <= 0 ? "—" : (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    private static void Go2rtc(StringBuilder b, StatusReport s)
    {
        var g = s.Go2rtc.Status;
        var phase = s.Build.Go2rtcEnabled ? g.Phase.ToString().ToLowerInvariant() : "not built";
        var tone = g.Phase == Go2rtcPhase.Ready ? "ok" : g.Phase is Go2rtcPhase.Failed or Go2rtcPhase.BinaryProblem or Go2rtcPhase.PortConflict ? "bad" : "warn";
        b.Append($"""
            <section class="panel" id="go2rtc"><div class="section-head"><h2>go2rtc</h2><span class="pill {tone}" id="g-phase">{E(phase)}</span></div>
            <p class="muted" id="g-message">{E(g.Message)}</p>
            <dl class="facts"><dt>Version</dt><dd id="g-version">{E(g.Version ?? "—")}</dd>
            <dt>PID</dt><dd id="g-pid">{E(g.Pid?.ToString(CultureInfo.InvariantCulture) ?? "—")}</dd>
            <dt>Uptime</dt><dd id="g-uptime">{Duration(s.Go2rtc.UptimeSeconds)}</dd>
            <dt>Memory (RSS)</dt><dd id="g-rss">{Megabytes(s.Health.RssBytes)}</dd>
            <dt>Restarts</dt><dd id="g-restarts">{g.Restarts}</dd>
            <dt>Last exit</dt><dd id="g-exit">{E(g.LastExit ?? "—")}</dd></dl>
            <div class="actions"><button class="btn" type="button" id="restart">Restart go2rtc</button><span class="note" id="restart-note" role="status"></span></div></section>
            """);
    }

    private static void Restarts(StringBuilder b, IReadOnlyList<RestartEntry> restarts)
    {
        b.Append("<section class=\"panel\"><h2>Restart history</h2><ol class=\"events\" id=\"restarts\">");
        foreach (var r in restarts.Reverse().Take(10))
            b.Append($"<li><time datetime=\"{r.At:O}\">{r.At:yyyy-MM-dd HH:mm:ss}</time> <b>{E(RestartReasons.Word(r.Reason))}</b> {(r.Outcome == RestartOutcome.Ok ? "ok" : "failed")}{(r.IsRetry ? " (retry)" : "")}</li>");
        b.Append("</ol><p class=\"muted\" id=\"no-restarts\"").Append(restarts.Count > 0 ? " hidden" : "").Append(">No restarts since the appliance started.</p></section>");
    }

    private static void BoardPanel(StringBuilder b, BoardView board) => b.Append($"""
        <section class="panel"><h2>Board</h2><dl class="facts"><dt>Status LED</dt><dd><b id="b-led">{E(board.Led)}</b> <span class="muted" id="b-meaning">{E(board.Meaning)}</span>
        <br><small class="muted" id="b-led-device">{E(board.LedDevice)}</small></dd>
        <dt>Reset button</dt><dd><span id="b-button">last: {E(board.LastButtonPress)}</span><br><small class="muted" id="b-button-device">{E(board.Button)}</small></dd>
        <dt>Console</dt><dd id="b-console">{E(board.Console)}</dd></dl></section>
        """);

    private static void Config(StringBuilder b, ConfigState c, IReadOnlyList<string> writeErrors)
    {
        var state = c.Valid ? "<span class=\"pill ok\">valid</span>"
            : c.UsingLastGood ? "<span class=\"pill bad\">has errors</span> running on the last valid copy"
            : "<span class=\"pill bad\">has errors</span>";
        b.Append($"<section class=\"panel\"><h2>Configuration</h2><dl class=\"facts\"><dt>File</dt><dd><code>{E(c.Path)}</code></dd><dt>State</dt><dd id=\"c-state\">{state}</dd></dl>");
        b.Append("<ul class=\"errors\" id=\"config-errors\">");
        foreach (var e in c.Errors) b.Append("<li><code>").Append(E(e)).Append("</code></li>");
        b.Append("</ul>");
        // A failed save (disk full, read-only folder) stays visible until the same file is written again.
        b.Append("<ul class=\"errors\" id=\"write-errors\">");
        foreach (var e in writeErrors) b.Append("<li><code>").Append(E(e)).Append("</code></li>");
        b.Append("</ul></section>");
    }

    private static void Log(StringBuilder b, IReadOnlyList<string> lines)
    {
        b.Append("<section class=\"panel log\"><h2>go2rtc log <span class=\"muted\">last lines, credentials removed</span></h2><pre id=\"go2rtc-log\">");
        foreach (var line in lines) b.Append(E(LogView.Humanize(line))).Append('\n');
        if (lines.Count == 0) b.Append("(nothing yet)");
        b.Append("</pre></section>");
    }

    private static void CameraDialog(StringBuilder b) => b.Append("""
        <dialog id="camera-dialog"><form id="camera-form" novalidate>
        <h2 id="camera-form-title">Add camera</h2>
        <label>Name<input name="name" autocomplete="off" required placeholder="front_door"><small class="err" data-err="name"></small></label>
        <label>RTSP address<input name="url" autocomplete="off" required placeholder="rtsp://192.168.1.20:554/stream1"><small class="err" data-err="url"></small></label>
        <div class="two"><label>Username<input name="username" autocomplete="off"><small class="err" data-err="username"></small></label>
        <label>Password<input name="password" type="password" autocomplete="new-password"><small class="err" data-err="password"></small></label></div>
        <label>Sub-stream address <span class="muted">(optional, lower resolution)</span><input name="sub_url" autocomplete="off"><small class="err" data-err="sub_url"></small></label>
        <div class="two"><label>Transport<select name="transport"><option value="">automatic</option><option>tcp</option><option>udp</option></select><small class="err" data-err="transport"></small></label>
        <label class="check"><input type="checkbox" name="enabled" checked> Enabled</label></div>
        <p class="err" data-err="camera" id="form-error"></p>
        <div class="actions"><button class="btn" type="button" id="camera-cancel">Cancel</button><button class="btn primary" type="submit" id="camera-save">Save</button></div>
        </form></dialog>
        """);
}
