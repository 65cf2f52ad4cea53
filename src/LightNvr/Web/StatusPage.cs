using System.Text;
using System.Text.Encodings.Web;
using LightNvr.Status;

namespace LightNvr.Web;

/// <summary>The status page a person sees at <c>GET /</c>: server-rendered, every value HTML-encoded.</summary>
public static class StatusPage
{
    private static readonly HtmlEncoder H = HtmlEncoder.Default;

    private static void Go2rtc(StringBuilder b, Go2rtcReport r)
    {
        var g = r.Status;
        var good = g.Phase == LightNvr.Go2rtc.Go2rtcPhase.Ready;
        b.Append("<dl id=\"go2rtc\"><dt>State</dt><dd><span class=\"").Append(good ? "ok" : "bad").Append("\">")
         .Append(H.Encode(g.Phase.ToString())).Append("</span> — ").Append(H.Encode(g.Message)).Append("</dd>");
        Row(b, "Version", g.Version);
        Row(b, "PID", g.Pid?.ToString());
        Row(b, "Uptime", r.UptimeSeconds is { } up ? TimeSpan.FromSeconds(Math.Floor(up)).ToString("c") : null);
        Row(b, "Start-up", g.StartupMs is { } ms ? $"{ms:0.#} ms" : null);
        Row(b, "Restarts", g.Restarts.ToString());
        Row(b, "Last exit", g.LastExit);
        Row(b, "Binary", g.BinaryPath);
        Row(b, "Your go2rtc.yaml", g.PersonConfigNote);
        b.Append("</dl>");
        if (r.RecentLog.Count > 0)
        {
            b.Append("<details open><summary>Recent go2rtc output</summary><pre id=\"go2rtc-log\">");
            foreach (var line in r.RecentLog) b.Append(H.Encode(line)).Append('\n');
            b.Append("</pre></details>");
        }
    }

    private static void Health(StringBuilder b, LightNvr.Health.HealthSnapshot h)
    {
        b.Append("<section><h2>Cameras</h2>");
        if (h.Failed is not null) b.Append("<p class=\"bad\">").Append(H.Encode(h.Failed)).Append("</p>");
        if (h.Consensus == LightNvr.Health.ConsensusVerdict.CamerasOrNetworkDown)
            b.Append("<p class=\"bad\" id=\"cameras-down\">Most cameras are down, and restarting go2rtc did not bring them back: ")
             .Append("the cameras or the network are down, not go2rtc. go2rtc will not be restarted again for this.</p>");
        if (h.CpuWarning) b.Append("<p class=\"bad\">go2rtc has used over 90 % of a core for 5 minutes (transcoding?).</p>");
        if (h.Streams.Count == 0) b.Append("<p>No cameras yet.</p>");
        else
        {
            b.Append("<table id=\"streams\"><tr><th>Stream</th><th>State</th><th>kbit/s</th><th>Viewers</th></tr>");
            foreach (var x in h.Streams)
            {
                var ok = x.State == LightNvr.Health.Liveness.Live;
                b.Append("<tr><td>").Append(H.Encode(x.Name)).Append("</td><td class=\"").Append(ok ? "ok" : "bad").Append("\" title=\"")
                 .Append(H.Encode(x.Why ?? "")).Append("\">").Append(H.Encode(x.State.ToString().ToLowerInvariant())).Append("</td><td>")
                 .Append(Math.Round(x.BytesPerSecond * 8 / 1000)).Append("</td><td>").Append(x.Consumers).Append("</td></tr>");
            }
            b.Append("</table>");
        }
        if (h.Restarts.Count > 0)
        {
            b.Append("<h2>go2rtc restarts</h2><ul id=\"restarts\">");
            foreach (var r in h.Restarts.Reverse())
                b.Append("<li>").Append(H.Encode($"{r.At:u} {LightNvr.Health.HealthEndpoints.Word(r.Reason)}: {r.Outcome.ToString().ToLowerInvariant()}"))
                 .Append(r.IsRetry ? " (retry)" : "").Append("</li>");
            b.Append("</ul>");
        }
        b.Append("</section>");
    }

    private static void Row(StringBuilder b, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        b.Append("<dt>").Append(H.Encode(name)).Append("</dt><dd>").Append(H.Encode(value)).Append("</dd>");
    }

    public static string Render(StatusReport s)
    {
        var h = HtmlEncoder.Default;
        var b = new StringBuilder(4096);
        b.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>LightNVR Appliance</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
            header{background:#1d2330;color:#fff;padding:14px 20px}
            main{max-width:960px;margin:0 auto;padding:16px}
            section{background:#fff;border-radius:10px;padding:14px 18px;margin-bottom:14px;box-shadow:0 1px 3px #0002}
            h1{font-size:1.2rem;margin:0} h2{font-size:1rem;margin:0 0 8px}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0} dt{color:#5b6475}
            .bad{color:#b42318} .ok{color:#067647} code{word-break:break-all}
            table{border-collapse:collapse;width:100%} td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e7ec}
            pre{font-size:.75rem;overflow-x:auto;max-height:20rem;background:#0f1320;color:#d7dbe5;padding:8px;border-radius:6px}
            </style></head><body>
            """);
        b.Append("<header><h1>LightNVR Appliance ").Append(h.Encode(s.Version)).Append("</h1></header><main>");

        b.Append("<section><h2>go2rtc</h2>");
        if (!s.Build.Go2rtcEnabled)
            b.Append("<p class=\"bad\">go2rtc support was left out of this build (ENABLE_GO2RTC=OFF).</p>");
        else Go2rtc(b, s.Go2rtc);
        b.Append("</section>");

        Health(b, s.Health);

        b.Append("<section><h2>Configuration</h2><dl><dt>File</dt><dd><code>").Append(h.Encode(s.Config.Path)).Append("</code></dd>");
        b.Append("<dt>State</dt><dd>").Append(s.Config.Valid
            ? "<span class=\"ok\">valid</span>"
            : s.Config.UsingLastGood ? "<span class=\"bad\">has errors — running on the last valid copy</span>"
            : "<span class=\"bad\">has errors</span>").Append("</dd></dl>");
        if (s.Config.Errors.Count > 0)
        {
            b.Append("<ul class=\"bad\" id=\"config-errors\">");
            foreach (var e in s.Config.Errors) b.Append("<li><code>").Append(h.Encode(e)).Append("</code></li>");
            b.Append("</ul>");
        }
        b.Append("</section>");

        b.Append("<section><h2>Appliance</h2><dl><dt>Uptime</dt><dd>")
         .Append(TimeSpan.FromSeconds(Math.Floor(s.UptimeSeconds)).ToString("c")).Append("</dd></dl></section>");
        b.Append("</main></body></html>");
        return b.ToString();
    }
}
