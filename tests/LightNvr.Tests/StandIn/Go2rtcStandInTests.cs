using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace LightNvr.Tests.StandIn;

/// <summary>The go2rtc quirks the supervisor depends on, checked against the stand-in (or a real go2rtc via GO2RTC_BINARY).</summary>
[NotInParallel]
public class Go2rtcStandInTests
{
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(10);

    private const string TestStream = "streams:\n  test: exec:ffmpeg -hide_banner -re -f lavfi -i testsrc -c:v libx264 -f rtsp {output}\n";

    [Test]
    public async Task Put_with_a_raw_semicolon_drops_src_and_returns_the_full_list_with_200()
    {
        await using var g = Go2rtcProcess.Start(TestStream);
        await Assert.That(await g.WaitForApi(Ready)).IsTrue();

        var r = await g.Http("PUT", "/api/streams?name=cam9&src=rtsp://127.0.0.5/ch1;x=1");

        await Assert.That(r.Status).IsEqualTo(200);
        using var doc = JsonDocument.Parse(r.Body);
        await Assert.That(doc.RootElement.TryGetProperty("test", out _)).IsTrue();
        await Assert.That(doc.RootElement.TryGetProperty("cam9", out _)).IsFalse();
        await Assert.That(File.ReadAllText(g.ConfigFile)).DoesNotContain("cam9");
    }

    [Test]
    public async Task Put_writes_back_to_the_first_config_file_and_delete_restores_it_byte_identical()
    {
        await using var g = Go2rtcProcess.Start("# keep this comment\n" + TestStream + "log:\n  level: info\n",
            extraArgs: ["-c", "{streams: {inline: 'rtsp://127.0.0.1:1/inline'}}"]);
        await Assert.That(await g.WaitForApi(Ready)).IsTrue();
        var before = File.ReadAllBytes(g.ConfigFile);

        var put = await g.Http("PUT", "/api/streams?name=cam2&src=" + Uri.EscapeDataString("rtsp://user:p@ss@127.0.0.1:8554/test#backchannel=0"));
        await Assert.That(put.Status).IsEqualTo(200);
        var written = File.ReadAllText(g.ConfigFile);
        await Assert.That(written).Contains("  cam2:\n    - rtsp://user:p@ss@127.0.0.1:8554/test#backchannel=0\n");
        await Assert.That(written).StartsWith(System.Text.Encoding.UTF8.GetString(before).Split("log:")[0].TrimEnd('\n'));
        var list = await g.Http("GET", "/api/streams");
        await Assert.That(list.Text).Contains("\"cam2\"");
        await Assert.That(list.Text).Contains("\"inline\"");

        var del = await g.Http("DELETE", "/api/streams?src=cam2");
        await Assert.That(del.Status).IsEqualTo(200);
        await Assert.That(File.ReadAllBytes(g.ConfigFile).SequenceEqual(before)).IsTrue();
    }

    [Test]
    public async Task Frame_jpeg_of_an_unreachable_source_is_200_with_an_empty_body()
    {
        await using var g = Go2rtcProcess.Start("streams:\n  dead: rtsp://127.0.0.1:1/none\n");
        await Assert.That(await g.WaitForApi(Ready)).IsTrue();

        var r = await g.Http("GET", "/api/frame.jpeg?src=dead");

        await Assert.That(r.Status).IsEqualTo(200);
        await Assert.That(r.Body.Length).IsEqualTo(0);
        await Assert.That(r.Headers.ContainsKey("Content-Type")).IsFalse();
        await Assert.That(r.Headers.GetValueOrDefault("Content-Length")).IsEqualTo("0");
        var unknown = await g.Http("GET", "/api/frame.jpeg?src=nosuchstream");
        await Assert.That(unknown.Status).IsEqualTo(404);
        await Assert.That(unknown.Text).IsEqualTo("stream not found\n");
    }

    [Test]
    public async Task Api_port_taken_logs_an_ERR_line_and_the_process_stays_alive()
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        try
        {
            await using var g = Go2rtcProcess.Start(apiPort: port);
            string expected = $"ERR [api] listen error=\"listen tcp 127.0.0.1:{port}: bind: address already in use\"";
            await Assert.That(await g.WaitForLine(l => l.Contains(expected), Ready)).IsTrue().Because(g.Dump());
            await Assert.That(await g.WaitForLine(l => l.Contains("INF [rtsp] listen addr="), Ready)).IsTrue();
            await Assert.That(g.Stdout.Any(l => l.Contains("INF [api] listen"))).IsFalse();
            // Still running past the error and the rest of its start-up: it ends only when told to, and our SIGTERM
            // finds it alive (the words and status of a normal stop; a fatal bind error would have ended it at once).
            await Assert.That(g.Process.HasExited).IsFalse().Because(g.Dump());
            g.Signal(15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await g.Process.WaitForExitAsync(cts.Token);
            await Assert.That(g.Process.ExitCode).IsEqualTo(0);
            await Assert.That(await Go2rtcProcess.WaitUntil(() => g.Stderr.Contains("exit with signal: terminated"), Ready)).IsTrue().Because(g.Dump());
        }
        finally { holder.Stop(); }
    }

    [Test]
    public async Task Sigterm_exits_0_quickly_with_the_stderr_line()
    {
        await using var g = Go2rtcProcess.Start();
        await Assert.That(await g.WaitForApi(Ready)).IsTrue();

        g.Signal(15);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await g.Process.WaitForExitAsync(cts.Token);

        await Assert.That(g.Process.ExitCode).IsEqualTo(0);
        await Assert.That(await Go2rtcProcess.WaitUntil(() => g.Stderr.Contains("exit with signal: terminated"), TimeSpan.FromSeconds(2))).IsTrue();
    }

    [Test]
    public async Task Api_restart_reexecs_in_place_keeping_the_pid()
    {
        await using var g = Go2rtcProcess.Start();
        await Assert.That(await g.WaitForApi(Ready)).IsTrue();
        int pid = g.Process.Id;
        await Assert.That(g.Stdout.Count(l => l.Contains("INF go2rtc platform="))).IsEqualTo(1);

        try { await g.Http("POST", "/api/restart"); } catch (IOException) { } // the answer races with the exec

        await Assert.That(await Go2rtcProcess.WaitUntil(
            () => g.Stdout.Count(l => l.Contains("INF go2rtc platform=")) == 2, Ready)).IsTrue().Because(g.Dump());
        await Assert.That(await g.WaitForApi(Ready)).IsTrue();
        await Assert.That(g.Process.HasExited).IsFalse();
        await Assert.That(g.Process.Id).IsEqualTo(pid);
    }

    [Test]
    public async Task Standin_version_switch_and_api_fault_mode()
    {
        Skip.When(Go2rtcProcess.IsReal, "stand-in fault switches do not exist in a real go2rtc");
        await using var g = Go2rtcProcess.Start(env: new Dictionary<string, string> { ["STANDIN_VERSION"] = "1.8.5" });
        await Assert.That(await g.WaitForApi(Ready)).IsTrue();
        await Assert.That((await g.Http("GET", "/api")).Text).Contains("\"version\":\"1.8.5\"");

        await Assert.That((await g.Http("POST", "/standin/api?mode=500")).Status).IsEqualTo(200);
        var r = await g.Http("GET", "/api/streams");
        await Assert.That(r.Status).IsEqualTo(500);
        await Assert.That((await g.Http("POST", "/standin/api?mode=ok")).Status).IsEqualTo(200);
        await Assert.That((await g.Http("GET", "/api/streams")).Status).IsEqualTo(200);
    }
}
