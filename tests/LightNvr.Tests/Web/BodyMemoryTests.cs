using System.Net;
using System.Text;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Web;

/// <summary>
/// Eight 10 MB bodies at once against the published binary (as on the board): each is refused with
/// 413 before it is read, nothing is saved, and the appliance's RSS grows by under 5 MB, at its peak
/// during the burst as well as after it.
/// </summary>
[NotInParallel("rss")]
public class BodyMemoryTests
{
    private const long TenMb = 10 * 1024 * 1024;

    [Test]
    public async Task Eight_ten_megabyte_bodies_at_once_grow_rss_by_under_5_mb()
    {
        var binary = Repo.PathOf("build", "publish", "linux-x64", "lightnvr");
        if (!File.Exists(binary)) Skip.Test($"{binary} not published: run `make publish-x64` (make test does)");
        using var dir = new TempDir();
        var port = Ports.Free();
        var config = dir.Write("lightnvr.yaml", $"web:\n  listen: 127.0.0.1\n  port: {port}\nstate_dir: {dir.Path}\ngo2rtc:\n  enabled: false\n  config_dir: {dir.Path}/go2rtc\n" +
                                                $"auth:\n  password_file: {dir.Path}/none.txt\n");
        AuthClients.Provision(dir.Path);
        await using var app = AppProcess.StartCommand(binary, "--config", config);
        using var http = AuthClients.SignedIn(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) });
        await AppProcess.WaitForPage(http, "/api/streams");
        // Warm up the paths a refused body takes at the same concurrency as the measurement (JIT-free, but the
        // connection buffers and the thread pool size themselves to eight clients): only body bytes are measured.
        for (var i = 0; i < 5; i++)
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                http.PostAsync("/api/streams", new StringContent("{\"name\":\"w\",\"url\":\"\"}", Encoding.UTF8, "application/json"))));

        foreach (var chunked in new[] { false, true })
        {
            var before = Rss(app.Id);
            var peak = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Rss(app.Id));
                    await Task.Delay(5);
                }
            });
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Send(http, chunked)));
            var after = Rss(app.Id);
            await sampling.CancelAsync();
            await sampler;
            peak = Math.Max(peak, after);
            Console.WriteLine($"8 × 10 MB ({(chunked ? "chunked" : "Content-Length")}): RSS {before / 1024.0:F1} → peak {peak / 1024.0:F1} → after {after / 1024.0:F1} MiB " +
                              $"(+{(peak - before) / 1024.0:F2} MiB at peak); answers: {string.Join(", ", outcomes)}");
            await Assert.That(outcomes.All(o => o is "413" or "closed")).IsTrue().Because(string.Join(", ", outcomes));
            await Assert.That(peak - before).IsLessThan(5 * 1024);
        }
        // The refusal comes before the body: headers alone (10 MB announced, none sent) get the 413.
        using (var socket = new System.Net.Sockets.TcpClient())
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            var stream = socket.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/streams HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n" +
                $"Authorization: {AppHarness.BasicHeader(AuthClients.ProvisionedPassword)}\r\nContent-Type: application/json\r\nContent-Length: {TenMb}\r\n\r\n"));
            var buffer = new byte[4096];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            var head = Encoding.ASCII.GetString(buffer, 0, read);
            await Assert.That(head).StartsWith("HTTP/1.1 413").And.Contains("application/problem+json");
        }
        await Assert.That(File.Exists(Path.Combine(dir.Path, "streams.yaml"))).IsFalse();
        await Assert.That((await http.GetAsync("/healthz")).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    /// <summary>A 10 MB camera whose password is the whole body, as the attack sent it.</summary>
    private static async Task<string> Send(HttpClient http, bool chunked)
    {
        var body = new StreamContent(new CameraBody(TenMb));
        body.Headers.ContentType = new("application/json");
        if (!chunked) body.Headers.ContentLength = TenMb;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/streams") { Content = body };
        if (chunked) request.Headers.TransferEncodingChunked = true;
        try
        {
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return "closed"; // the appliance answered 413 and closed while the client was still sending
        }
    }

    /// <summary>VmRSS in KiB.</summary>
    private static long Rss(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>{"name":"big","url":"rtsp://10.0.0.5/a","username":"admin","password":"xxxx…"} of exactly the given length, generated as read.</summary>
    private sealed class CameraBody(long length) : Stream
    {
        private static readonly byte[] Head = "{\"name\":\"big\",\"url\":\"rtsp://10.0.0.5/a\",\"username\":\"admin\",\"password\":\""u8.ToArray();
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = at < Head.Length ? Head[at] : at == length - 2 ? (byte)'"' : at == length - 1 ? (byte)'}' : (byte)'x';
            }
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
