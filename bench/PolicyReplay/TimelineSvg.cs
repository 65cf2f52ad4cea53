using System.Globalization;
using System.Text;

namespace LightNvr.PolicyReplay;

/// <summary>
/// One SVG: time on the x axis, one lane per policy, a row per scenario inside it; a bar from the fault to the
/// recovery (open-ended when never), a triangle where the policy first acted, a dot where go2rtc or the cameras were whole again.
/// </summary>
public static class TimelineSvg
{
    private const double Left = 170, Width = 900, RowH = 14, LaneGap = 14, Top = 40;
    private static readonly string[] Colours = ["#d62728", "#9467bd", "#1f77b4", "#2ca02c"];

    public static string Draw(IReadOnlyList<Outcome> outcomes)
    {
        var policies = outcomes.Select(o => o.Policy).Distinct().ToList();
        var scenarios = outcomes.Select(o => o.Scenario).Distinct().ToList();
        var laneH = scenarios.Count * RowH + LaneGap;
        var height = Top + policies.Count * laneH + 70;
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        double X(double t) => Left + t / Replay.Horizon * Width;
        var s = new StringBuilder();
        s.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(Left + Width + 20)}\" height=\"{F(height)}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.Append($"<text x=\"{F(Left)}\" y=\"16\" font-size=\"13\">Fault timeline replayed through our health decisions with each policy's numbers (peers: policies modelled, not their code)</text>\n");
        for (var t = 0; t <= Replay.Horizon; t += 30)
        {
            s.Append($"<line x1=\"{F(X(t))}\" y1=\"{F(Top - 6)}\" x2=\"{F(X(t))}\" y2=\"{F(Top + policies.Count * laneH)}\" stroke=\"#ddd\"/>\n");
            s.Append($"<text x=\"{F(X(t))}\" y=\"{F(Top + policies.Count * laneH + 14)}\" text-anchor=\"middle\">{t} s</text>\n");
        }
        for (var p = 0; p < policies.Count; p++)
        {
            var y0 = Top + p * laneH;
            s.Append($"<text x=\"8\" y=\"{F(y0 + scenarios.Count * RowH / 2 + 4)}\" font-weight=\"bold\">{Esc(policies[p].Name)}</text>\n");
            for (var i = 0; i < scenarios.Count; i++)
            {
                var o = outcomes.First(x => x.Policy == policies[p] && x.Scenario == scenarios[i]);
                var y = y0 + i * RowH + RowH / 2;
                var c = Colours[i % Colours.Length];
                var end = o.RecoveredAt ?? Replay.Horizon;
                s.Append($"<line x1=\"{F(X(o.Scenario.At))}\" y1=\"{F(y)}\" x2=\"{F(X(end))}\" y2=\"{F(y)}\" stroke=\"{c}\" stroke-width=\"4\" opacity=\"0.35\"{(o.RecoveredAt is null ? " stroke-dasharray=\"6 4\"" : "")}/>\n");
                s.Append($"<line x1=\"{F(X(o.Scenario.At))}\" y1=\"{F(y - 5)}\" x2=\"{F(X(o.Scenario.At))}\" y2=\"{F(y + 5)}\" stroke=\"{c}\" stroke-width=\"2\"/>\n");
                if (o.DetectedAt is { } d)
                    s.Append($"<path d=\"M{F(X(d) - 4)},{F(y - 5)} L{F(X(d) + 4)},{F(y - 5)} L{F(X(d))},{F(y + 1)} Z\" fill=\"{c}\"><title>{Esc(o.Scenario.Name)}: detected after {F(o.TimeToDetect!.Value)} s ({Esc(o.Action)})</title></path>\n");
                if (o.RecoveredAt is { } r)
                    s.Append($"<circle cx=\"{F(X(r))}\" cy=\"{F(y)}\" r=\"3.5\" fill=\"{c}\"><title>{Esc(o.Scenario.Name)}: recovered after {F(o.TimeToRecover!.Value)} s</title></circle>\n");
                else
                    s.Append($"<text x=\"{F(X(Replay.Horizon) - 2)}\" y=\"{F(y + 4)}\" text-anchor=\"end\" fill=\"{c}\">never</text>\n");
            }
        }
        var ly = Top + policies.Count * laneH + 34;
        for (var i = 0; i < scenarios.Count; i++)
        {
            var x = Left + i * 200;
            s.Append($"<rect x=\"{F(x)}\" y=\"{F(ly - 8)}\" width=\"14\" height=\"8\" fill=\"{Colours[i % Colours.Length]}\"/>");
            s.Append($"<text x=\"{F(x + 18)}\" y=\"{F(ly)}\">{Esc(scenarios[i].Name)} at {F(scenarios[i].At)} s</text>\n");
        }
        s.Append($"<text x=\"{F(Left)}\" y=\"{F(ly + 18)}\">| fault   ▼ first action (detect)   ● whole again (recover)   dashed: not recovered within {F(Replay.Horizon)} s</text>\n");
        s.Append("</svg>\n");
        return s.ToString();
    }

    private static string Esc(string v) => v.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
