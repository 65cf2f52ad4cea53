using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Go2rtcStandIn;

/// <summary>
/// go2rtc's <c>GET /api/ws</c> (internal/api/ws): a WebSocket of JSON text messages <c>{"type":…,"value":…}</c>.
/// The upgrade checks the Origin like go2rtc with <c>api.origin</c> unset (none, or its host equal to the Host,
/// port ignored when the Host has none). Of the message types only <c>mse</c> is answered (with the codecs a
/// player would get first); unknown types are ignored, as go2rtc does; a missing stream is an
/// <c>{"type":"error"}</c> message.
/// </summary>
internal static class Ws
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static Response Upgrade(Request req)
    {
        if (!req.Headers.GetValueOrDefault("Connection", "").Contains("upgrade", StringComparison.OrdinalIgnoreCase)
            || !req.Headers.GetValueOrDefault("Upgrade", "").Equals("websocket", StringComparison.OrdinalIgnoreCase))
            return Response.Error(400, "Bad Request");
        if (!OriginAllowed(req.Headers.GetValueOrDefault("Origin"), req.Host)) return Response.Error(403, "Forbidden");
        var key = req.Headers.GetValueOrDefault("Sec-WebSocket-Key", "");
        if (key == "") return Response.Error(400, "Bad Request");
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
        var src = req.Query.Get("src");
        return new Response { Status = 101, Streaming = body => Serve(body, src) }
            .Header("Upgrade", "websocket").Header("Connection", "Upgrade").Header("Sec-WebSocket-Accept", accept);
    }

    private static bool OriginAllowed(string? origin, string host)
    {
        if (string.IsNullOrEmpty(origin)) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var o)) return false;
        var oHost = o.IsDefaultPort ? o.Host : $"{o.Host}:{o.Port}";
        return oHost == host || o.Host == host;
    }

    private static async Task Serve(Stream body, string src)
    {
        using var ws = WebSocket.CreateFromStream(body, new WebSocketCreationOptions { IsServer = true });
        var buffer = new byte[4096];
        while (ws.State == WebSocketState.Open)
        {
            var message = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return;
                }
                message.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage && message.Length < 1 << 20);
            if (Reply(message.ToArray(), src) is { } reply)
                await ws.SendAsync(Encoding.UTF8.GetBytes(GoJson.Encode(reply)), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    private static JObj? Reply(byte[] message, string src)
    {
        string type;
        try
        {
            using var doc = JsonDocument.Parse(message);
            type = doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        }
        catch (JsonException) { return null; }
        if (type != "mse") return null;
        if (Streams.Get(src) == null) return new JObj().Add("type", "error").Add("value", "mse: streams: stream not found");
        return new JObj().Add("type", "mse").Add("value", "video/mp4; codecs=\"avc1.640029\"");
    }
}
