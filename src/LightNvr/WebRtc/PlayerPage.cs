using System.Text.Encodings.Web;
using System.Text.Json;
using LightNvr.Config;

namespace LightNvr.WebRtc;

/// <summary>
/// <c>GET /webrtc/{stream}</c>: the player page (player.html, embedded: no external assets) with the
/// stream name and the browser's ICE servers filled in, every value attribute-encoded.
/// </summary>
public static class PlayerPage
{
    private static readonly Lazy<string> Template = new(() =>
    {
        using var s = typeof(PlayerPage).Assembly.GetManifestResourceStream("LightNvr.WebRtc.player.html")
            ?? throw new InvalidOperationException("player.html is not embedded");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    });

    /// <summary>
    /// Nothing but this origin and the page's own inline script and style (by hash: an injected
    /// script would not run), and no framing.
    /// </summary>
    public static string ContentSecurityPolicy { get; } = Web.SecurityHeaders.Policy(Template.Value + NotFound("x"));

    public static string Render(string name, WebRtcSettings settings)
    {
        var h = HtmlEncoder.Default;
        return Template.Value.Replace("{{NAME}}", h.Encode(name)).Replace("{{ICE}}", h.Encode(BrowserIce(settings)));
    }

    /// <summary>
    /// The STUN servers for the browser's side too (TURN credentials never go into a page). With
    /// none configured the browser gathers host candidates only: instant on a LAN, no traffic out.
    /// </summary>
    public static string BrowserIce(WebRtcSettings settings)
    {
        var urls = settings.IceServers.SelectMany(s => s.Urls).Where(u => u.StartsWith("stun:", StringComparison.Ordinal)).ToList();
        if (urls.Count == 0) return "[]";
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteStartArray("urls");
            foreach (var u in urls) w.WriteStringValue(u);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string NotFound(string name) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<title>No such stream · LightNVR</title><style>body{margin:0;padding:2rem 1rem;background:#0f1115;color:#e8eaf0;font:16px/1.4 system-ui,sans-serif}a{color:#9aa3b2}</style></head>" +
        $"<body><h1>No such stream</h1><p id=\"detail\">There is no stream named <code>{HtmlEncoder.Default.Encode(name)}</code> in the camera list.</p>" +
        "<p><a href=\"/\">&larr; Status</a></p></body></html>";
}
