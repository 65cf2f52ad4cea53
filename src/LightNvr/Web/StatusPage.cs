using System.Text;
using System.Text.Encodings.Web;

namespace LightNvr.Web;

/// <summary>
/// The status page a person sees at <c>GET /</c>: the <see cref="StatusView"/> as HTML, every value
/// encoded. The script (status.js) puts later views into the same elements, found by id and data-f.
/// </summary>
public static class StatusPage
{
    private static readonly HtmlEncoder H = HtmlEncoder.Default;
    private static string E(string? s) => H.Encode(s ?? "");
    private static string Hidden(bool hidden) => hidden ? " hidden" : "";

    /// <param name="door">go2rtc's own UI is open at /go2rtc/ (go2rtc.expose_ui): the go2rtc panel links to it.</param>
    public static string Render(StatusView v, bool door = false)
    {
        var b = new StringBuilder(8192);
        b.Append($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>LightNVR Appliance</title>
            <link rel="stylesheet" href="{StatusAssets.Css.Url}">
            </head><body>
            <header class="top"><div class="brand"><span class="mark" aria-hidden="true"></span><h1>LightNVR</h1>
            <span class="ver" id="version">{E(v.Version)}</span>
            <span class="standin" id="standin"{Hidden(!v.StandIn)}>demo: go2rtc stand-in</span></div>
            <div class="led" id="led" data-led="{E(v.Board.Led)}" title="{E(v.Board.Meaning)}"><i aria-hidden="true"></i><small>LED</small><span id="led-word">{E(v.Board.Led)}</span></div>
            <span class="conn" id="conn" hidden>offline — retrying</span>
            <form method="post" action="/logout" class="signout"><button type="submit">Sign out</button></form></header>
            <div class="banner" id="banner"{Hidden(v.Banner is null)}>{E(v.Banner)}</div>
            <main class="layout"><div class="col">
            """);
        Cameras(b, v.Cameras);
        b.Append($"""<section class="panel log"><h2>go2rtc log <span class="muted">last lines, credentials removed</span></h2><pre id="go2rtc-log">{E(v.Log)}</pre></section>""");
        b.Append("</div><aside class=\"side\">");
        Go2rtc(b, v.Go2rtc, door);
        Restarts(b, v.Restarts);
        BoardPanel(b, v.Board);
        Config(b, v.Config);
        b.Append("""
            <section class="panel"><h2>Diagnostics</h2>
            <p class="muted">A zip for a bug report: configuration with credentials removed, go2rtc's and the appliance's logs, health history, version.</p>
            <a class="btn" id="diagnostics" href="/api/diagnostics" download>Download bundle</a></section>
            </aside></main>
            """);
        CameraDialog(b);
        b.Append("<template id=\"camera-card\">");
        Card(b, CameraCard.Template);
        b.Append($"</template><script src=\"{StatusAssets.Js.Url}\" defer></script><script src=\"{StatusAssets.FormJs.Url}\" defer></script></body></html>");
        return b.ToString();
    }

    private static void Cameras(StringBuilder b, IReadOnlyList<CameraCard> cameras)
    {
        b.Append($"""
            <section class="cams"><div class="section-head"><h2>Cameras <span class="count" id="cam-count">{cameras.Count}</span></h2>
            <button class="btn primary" id="add-camera" type="button">Add camera</button></div>
            <p class="empty" id="no-cameras"{Hidden(cameras.Count > 0)}>No cameras yet. Add one with its RTSP address.</p>
            <div class="grid" id="cameras">
            """);
        foreach (var c in cameras) Card(b, c);
        b.Append("</div></section>");
    }

    /// <summary>One camera's card; the same markup is the script's template for cameras added later.</summary>
    private static void Card(StringBuilder b, CameraCard c)
    {
        var name = E(c.Name);
        var frame = c.NoFrame is { } n ? $"<b>{E(n.Title)}</b><span>{E(n.Detail)}</span>" : "loading…";
        b.Append($"""
            <article class="cam" data-name="{name}"><div class="thumb"><img alt="" hidden><div class="boxes"></div>
            <div class="frame-msg" data-f="frame">{frame}</div></div>
            <div class="cam-body"><div class="cam-title"><h3 data-f="name">{name}</h3><span class="pill {E(c.State.Tone)}" data-f="state">{E(c.State.Word)}</span></div>
            <div class="cam-meta"><span data-f="rate">{E(c.Rate)}</span><span data-f="viewers">{E(c.Viewers)}</span><span data-f="detector" hidden></span></div>
            <p class="why" data-f="why"{Hidden(string.IsNullOrEmpty(c.Why))}>{E(c.Why)}</p>
            <div class="cam-actions"><a class="btn primary" data-f="watch" href="{E(c.Watch)}">Watch live</a>
            <button class="btn" type="button" data-act="reregister">Re-register</button><button class="btn" type="button" data-act="edit">Edit</button>
            <button class="btn danger" type="button" data-act="remove">Remove</button></div></div></article>
            """);
    }

    private static void Go2rtc(StringBuilder b, Go2rtcPanel g, bool door) => b.Append($"""
        <section class="panel" id="go2rtc"><div class="section-head"><h2>go2rtc</h2><span class="pill {E(g.Phase.Tone)}" id="g-phase">{E(g.Phase.Word)}</span></div>
        <p class="muted" id="g-message">{E(g.Message)}</p>
        <dl class="facts"><dt>Version</dt><dd id="g-version">{E(g.Version)}</dd>
        <dt>PID</dt><dd id="g-pid">{E(g.Pid)}</dd>
        <dt>Uptime</dt><dd id="g-uptime">{E(g.Uptime)}</dd>
        <dt>Memory (RSS)</dt><dd id="g-rss">{E(g.Memory)}</dd>
        <dt>Restarts</dt><dd id="g-restarts">{E(g.Restarts)}</dd>
        <dt>Last exit</dt><dd id="g-exit">{E(g.LastExit)}</dd></dl>
        <div class="actions"><button class="btn" type="button" id="restart">Restart go2rtc</button><span class="note" id="restart-note" role="status"></span>{(door ? DoorLink : "")}</div></section>
        """);

    private const string DoorLink = """<a class="btn" id="go2rtc-ui" href="/go2rtc/" title="go2rtc's own web UI and API, for the admin">Open go2rtc's UI</a>""";

    private static void Restarts(StringBuilder b, IReadOnlyList<RestartLine> restarts)
    {
        b.Append("<section class=\"panel\"><h2>Restart history</h2><ol class=\"events\" id=\"restarts\">");
        foreach (var r in restarts)
            b.Append($"<li><time datetime=\"{E(r.At)}\">{E(r.When)}</time> <b>{E(r.Reason)}</b> {E(r.Outcome)}</li>");
        b.Append("</ol><p class=\"muted\" id=\"no-restarts\"").Append(Hidden(restarts.Count > 0)).Append(">No restarts since the appliance started.</p></section>");
    }

    private static void BoardPanel(StringBuilder b, BoardPanel board) => b.Append($"""
        <section class="panel"><h2>Board</h2><dl class="facts"><dt>Status LED</dt><dd><b id="b-led">{E(board.Led)}</b> <span class="muted" id="b-meaning">{E(board.Meaning)}</span>
        <br><small class="muted" id="b-led-device">{E(board.LedDevice)}</small></dd>
        <dt>Reset button</dt><dd><span id="b-button">{E(board.LastPress)}</span><br><small class="muted" id="b-button-device">{E(board.Button)}</small></dd>
        <dt>Console</dt><dd id="b-console">{E(board.Console)}</dd></dl></section>
        """);

    private static void Config(StringBuilder b, ConfigPanel c)
    {
        b.Append($"<section class=\"panel\"><h2>Configuration</h2><dl class=\"facts\"><dt>File</dt><dd><code>{E(c.Path)}</code></dd>");
        b.Append($"<dt>State</dt><dd id=\"c-state\"><span class=\"pill {E(c.State.Tone)}\">{E(c.State.Word)}</span>{(c.Note is null ? "" : " " + E(c.Note))}</dd></dl>");
        Codes(b, "config-errors", c.Errors);
        Codes(b, "write-errors", c.WriteErrors);
        b.Append("</section>");
    }

    private static void Codes(StringBuilder b, string id, IReadOnlyList<string> lines)
    {
        b.Append($"<ul class=\"errors\" id=\"{id}\">");
        foreach (var e in lines) b.Append("<li><code>").Append(E(e)).Append("</code></li>");
        b.Append("</ul>");
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
