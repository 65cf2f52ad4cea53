using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LightNvr.Tests.WebRtc;

namespace LightNvr.Tests.Door;

/// <summary>The appliance with its camera "door" and the door to go2rtc open (go2rtc.expose_ui), plus the calls the tests make through it.</summary>
internal static class DoorApp
{
    public static Task<WebRtcApp> Start(bool open = true) => WebRtcApp.Start(configure: c => c.Go2rtc.ExposeUi = open);

    /// <summary>The problem+json of an answer: status, title, detail.</summary>
    public static async Task<(int Status, string Title, string Detail)> Problem(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return ((int)response.StatusCode, "", text);
        using var doc = JsonDocument.Parse(text);
        return ((int)response.StatusCode, doc.RootElement.GetProperty("title").GetString()!, doc.RootElement.GetProperty("detail").GetString()!);
    }

    /// <summary>A WebSocket to /go2rtc/api/ws as a browser on our page opens it (its Origin is our address).</summary>
    public static async Task<ClientWebSocket> OpenWs(WebRtcApp app, string query, string? password = Support.AppHarness.DefaultPassword, string? origin = null)
    {
        var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        if (password is not null) ws.Options.SetRequestHeader("Authorization", Support.AppHarness.BasicHeader(password).ToString());
        ws.Options.SetRequestHeader("Origin", origin ?? app.BaseUrl);
        var uri = new Uri(app.BaseUrl.Replace("http://", "ws://") + "/go2rtc/api/ws?" + query);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await ws.ConnectAsync(uri, timeout.Token); }
        catch (WebSocketException) { /* the caller reads ws.HttpStatusCode */ }
        return ws;
    }

    public static async Task<JsonElement> Exchange(ClientWebSocket ws, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ws.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[8192];
        var r = await ws.ReceiveAsync(buffer, timeout.Token);
        using var doc = JsonDocument.Parse(buffer.AsMemory(0, r.Count));
        return doc.RootElement.Clone();
    }
}
