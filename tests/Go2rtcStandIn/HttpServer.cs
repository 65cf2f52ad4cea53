using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Go2rtcStandIn;

internal sealed class Request
{
    public string Method = "", Target = "", Path = "", RawQuery = "", Version = "HTTP/1.1";
    public Dictionary<string, string> Headers = new(StringComparer.OrdinalIgnoreCase);
    public byte[] Body = Array.Empty<byte>();
    public string Host => Headers.GetValueOrDefault("Host", "");
    private GoQuery? _query;
    public GoQuery Query => _query ??= GoQuery.Parse(RawQuery);
}

internal sealed class Response
{
    public int Status = 200;
    public readonly List<(string Key, string Value)> Headers = new();
    public byte[] Body = Array.Empty<byte>();
    public bool Close;
    public bool Hang;              // never answer; keep the connection until the client leaves
    public Action? AfterSend;      // e.g. exec for /api/restart, exit for /api/exit
    public Func<Stream, Task>? Streaming; // an endless body (stream.mp4): written until the client leaves

    public Response WithStatus(int status) { Status = status; return this; }

    public Response Header(string k, string v) { Headers.RemoveAll(h => h.Key == k); Headers.Add((k, v)); return this; }

    public static Response Empty() => new();

    /// <summary>Go http.Error: text/plain; charset=utf-8, nosniff, body = msg + "\n".</summary>
    public static Response Error(int status, string msg) => new Response { Status = status, Body = Encoding.UTF8.GetBytes(msg + "\n") }
        .Header("Content-Type", "text/plain; charset=utf-8").Header("X-Content-Type-Options", "nosniff");

    public static Response Json(object? v, bool pretty = false) => new Response { Body = Encoding.UTF8.GetBytes(GoJson.Encode(v, pretty)) }
        .Header("Content-Type", "application/json");

    public static Response Text(string body, string type) => new Response { Body = Encoding.UTF8.GetBytes(body) }.Header("Content-Type", type);
}

/// <summary>A small HTTP/1.1 server on raw sockets, writing responses the way Go's net/http does (sorted headers, Date, Content-Length).</summary>
internal static class HttpServer
{
    /// <summary>Binds like net.Listen("tcp", addr). Returns the socket or Go's error text.</summary>
    public static (Socket? Sock, string? Err) Listen(string addr, SocketType type = SocketType.Stream)
    {
        string proto = type == SocketType.Stream ? "tcp" : "udp";
        int colon = addr.LastIndexOf(':');
        if (colon < 0) return (null, $"listen {proto} {addr}: address {addr}: missing port in address");
        string host = addr[..colon].Trim('[', ']');
        if (!int.TryParse(addr[(colon + 1)..], out int port)) return (null, $"listen {proto} {addr}: address {addr}: invalid port");
        Socket sock;
        try
        {
            IPAddress ip;
            if (host == "") ip = IPAddress.IPv6Any;
            else if (host == "localhost") ip = IPAddress.Loopback;
            else if (!IPAddress.TryParse(host, out ip!)) return (null, $"listen {proto} {addr}: lookup {host}: no such host");
            sock = new Socket(ip.AddressFamily, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
            if (ip.Equals(IPAddress.IPv6Any)) sock.DualMode = true;
            // Go sets SO_REUSEADDR only (.NET's ReuseAddress would add SO_REUSEPORT and let two servers share a port)
            if (type == SocketType.Stream) sock.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            sock.Bind(new IPEndPoint(ip, port));
            if (type == SocketType.Stream) sock.Listen(512);
            return (sock, null);
        }
        catch (SocketException e)
        {
            string what = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "bind: address already in use",
                SocketError.AccessDenied => "bind: permission denied",
                SocketError.AddressNotAvailable => "bind: cannot assign requested address",
                _ => "bind: " + e.Message.ToLowerInvariant(),
            };
            return (null, $"listen {proto} {addr}: {what}");
        }
    }

    public static void AcceptLoop(Socket listener, Func<Socket, Task> serve)
    {
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Socket c;
                try { c = await listener.AcceptAsync(); }
                catch (ObjectDisposedException) { return; }
                catch (SocketException) { continue; }
                _ = Task.Run(() => serve(c));
            }
        });
    }

    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public static async Task ServeHttp(Socket sock, Func<Request, Task<Response>> handler)
    {
        sock.NoDelay = true;
        await using var ns = new NetworkStream(sock, ownsSocket: true);
        var buf = new byte[16 * 1024];
        int len = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = buf.AsSpan(0, len).IndexOf(HeaderEnd)) < 0)
                {
                    if (len == buf.Length)
                    {
                        if (buf.Length >= 1 << 20) { await WriteRaw(ns, Response.Error(431, "431 Request Header Fields Too Large"), false); return; }
                        Array.Resize(ref buf, buf.Length * 2);
                    }
                    int n = await ns.ReadAsync(buf.AsMemory(len));
                    if (n == 0) return;
                    len += n;
                }
                var req = Parse(Encoding.Latin1.GetString(buf, 0, end));
                int consumed = end + 4;
                if (req == null) { await WriteRaw(ns, Response.Error(400, "400 Bad Request"), true); return; }

                // body
                if (req.Headers.TryGetValue("Content-Length", out var cl) && long.TryParse(cl, out long clen) && clen > 0)
                {
                    while (len - consumed < clen)
                    {
                        if (len == buf.Length) Array.Resize(ref buf, Math.Max(buf.Length * 2, (int)(consumed + clen)));
                        int n = await ns.ReadAsync(buf.AsMemory(len));
                        if (n == 0) return;
                        len += n;
                    }
                    req.Body = buf[consumed..(consumed + (int)clen)];
                    consumed += (int)clen;
                }
                else if (req.Headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    var body = new MemoryStream();
                    while (true)
                    {
                        int lineEnd;
                        while ((lineEnd = buf.AsSpan(consumed, len - consumed).IndexOf("\r\n"u8)) < 0)
                        {
                            if (len == buf.Length) Array.Resize(ref buf, buf.Length * 2);
                            int n = await ns.ReadAsync(buf.AsMemory(len));
                            if (n == 0) return;
                            len += n;
                        }
                        var sizeText = Encoding.Latin1.GetString(buf, consumed, lineEnd).Split(';')[0].Trim();
                        int size = Convert.ToInt32(sizeText, 16);
                        consumed += lineEnd + 2;
                        while (len - consumed < size + 2)
                        {
                            if (len == buf.Length) Array.Resize(ref buf, Math.Max(buf.Length * 2, consumed + size + 2));
                            int n = await ns.ReadAsync(buf.AsMemory(len));
                            if (n == 0) return;
                            len += n;
                        }
                        body.Write(buf, consumed, size);
                        consumed += size + 2;
                        if (size == 0) break;
                    }
                    req.Body = body.ToArray();
                }

                Buffer.BlockCopy(buf, consumed, buf, 0, len - consumed);
                len -= consumed;

                var resp = await handler(req);
                if (resp.Streaming is { } streaming)
                {
                    var head = new StringBuilder($"HTTP/1.1 {resp.Status} {StatusText(resp.Status)}\r\n");
                    foreach (var (k, v) in resp.Headers.OrderBy(h => h.Key, StringComparer.Ordinal)) head.Append(k).Append(": ").Append(v).Append("\r\n");
                    head.Append("Date: ").Append(DateTime.UtcNow.ToString("r")).Append("\r\n\r\n");
                    try
                    {
                        await ns.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
                        await streaming(ns);
                    }
                    finally { resp.AfterSend?.Invoke(); }
                    return;
                }
                if (resp.Hang)
                {
                    var sink = new byte[4096];
                    while (await ns.ReadAsync(sink) > 0) { }
                    return;
                }
                bool close = resp.Close
                    || req.Headers.GetValueOrDefault("Connection", "").Equals("close", StringComparison.OrdinalIgnoreCase)
                    || (req.Version == "HTTP/1.0" && !req.Headers.GetValueOrDefault("Connection", "").Equals("keep-alive", StringComparison.OrdinalIgnoreCase));
                await WriteRaw(ns, resp, close, req.Method == "HEAD");
                resp.AfterSend?.Invoke();
                if (close) { try { sock.Shutdown(SocketShutdown.Both); } catch (SocketException) { } return; }
            }
        }
        catch (IOException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private static Request? Parse(string head)
    {
        var lines = head.Split("\r\n");
        var first = lines[0].Split(' ');
        if (first.Length != 3 || !first[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        var req = new Request { Method = first[0], Target = first[1], Version = first[2] };
        int q = req.Target.IndexOf('?');
        string rawPath = q < 0 ? req.Target : req.Target[..q];
        req.RawQuery = q < 0 ? "" : req.Target[(q + 1)..];
        if (rawPath.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            int slash = rawPath.IndexOf('/', 7);
            rawPath = slash < 0 ? "/" : rawPath[slash..];
        }
        req.Path = Uri.UnescapeDataString(rawPath);
        for (int i = 1; i < lines.Length; i++)
        {
            int c = lines[i].IndexOf(':');
            if (c <= 0) continue;
            var k = lines[i][..c].Trim();
            var v = lines[i][(c + 1)..].Trim();
            req.Headers[k] = req.Headers.TryGetValue(k, out var old) ? old + ", " + v : v;
        }
        return req;
    }

    private static string StatusText(int code) => code switch
    {
        101 => "Switching Protocols", 200 => "OK", 201 => "Created", 204 => "No Content", 301 => "Moved Permanently", 400 => "Bad Request",
        401 => "Unauthorized", 404 => "Not Found", 405 => "Method Not Allowed", 410 => "Gone",
        431 => "Request Header Fields Too Large", 500 => "Internal Server Error", _ => "Status " + code,
    };

    private static async Task WriteRaw(Stream ns, Response resp, bool close, bool head = false)
    {
        var headers = new List<(string Key, string Value)>(resp.Headers);
        if (close && !headers.Any(h => h.Key == "Connection")) headers.Add(("Connection", "close"));
        headers.Add(("Date", DateTime.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", System.Globalization.CultureInfo.InvariantCulture)));
        if (resp.Status != 204 && resp.Status != 304) headers.Add(("Content-Length", resp.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var sb = new StringBuilder();
        sb.Append("HTTP/1.1 ").Append(resp.Status).Append(' ').Append(StatusText(resp.Status)).Append("\r\n");
        foreach (var (k, v) in headers.OrderBy(h => h.Key, StringComparer.Ordinal)) sb.Append(k).Append(": ").Append(v).Append("\r\n");
        sb.Append("\r\n");
        var h = Encoding.Latin1.GetBytes(sb.ToString());
        if (!head && resp.Body.Length > 0 && resp.Body.Length < 64 * 1024)
        {
            var all = new byte[h.Length + resp.Body.Length];
            h.CopyTo(all, 0);
            resp.Body.CopyTo(all, h.Length);
            await ns.WriteAsync(all);
        }
        else
        {
            await ns.WriteAsync(h);
            if (!head && resp.Body.Length > 0) await ns.WriteAsync(resp.Body);
        }
        await ns.FlushAsync();
    }
}
