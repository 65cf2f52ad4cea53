using LightNvr.Go2rtc;

namespace LightNvr.Tests.Go2rtc;

/// <summary>Lines exactly as go2rtc 1.9.14 prints them.</summary>
public class LogLineTests
{
    [Test]
    public async Task Text_banner_and_listen_lines()
    {
        await Assert.That(LogLine.Parse("08:55:18.350 INF go2rtc platform=linux/amd64 revision=b5948cf version=1.9.14"))
            .IsEqualTo(new LogEvent.Banner("1.9.14"));
        await Assert.That(LogLine.Parse("08:55:18.352 INF [api] listen addr=127.0.0.1:1984"))
            .IsEqualTo(new LogEvent.Listening("api", "127.0.0.1:1984"));
        await Assert.That(LogLine.Parse("08:55:18.352 INF [webrtc] listen tcp addr=127.0.0.1:8555"))
            .IsEqualTo(new LogEvent.Listening("webrtc", "127.0.0.1:8555"));
        await Assert.That(LogLine.Parse("08:55:18.351 INF config path=./go2rtc.yaml")).IsEqualTo(LogEvent.Nothing);
    }

    [Test]
    public async Task Text_listen_failure_keeps_the_quoted_error()
    {
        var e = LogLine.Parse("10:00:00.000 ERR [api] listen error=\"listen tcp 127.0.0.1:1984: bind: address already in use\"");
        await Assert.That(e).IsEqualTo(new LogEvent.ListenFailed("api", "listen tcp 127.0.0.1:1984: bind: address already in use"));
    }

    [Test]
    public async Task Json_lines()
    {
        await Assert.That(LogLine.Parse("{\"level\":\"info\",\"addr\":\":1984\",\"time\":1766841087331,\"message\":\"[api] listen\"}"))
            .IsEqualTo(new LogEvent.Listening("api", ":1984"));
        await Assert.That(LogLine.Parse("{\"level\":\"info\",\"version\":\"1.9.14\",\"platform\":\"linux/arm64\",\"revision\":\"b5948cf\",\"time\":1,\"message\":\"go2rtc\"}"))
            .IsEqualTo(new LogEvent.Banner("1.9.14"));
        await Assert.That(LogLine.Parse("{\"level\":\"error\",\"error\":\"listen tcp 127.0.0.1:8554: bind: address already in use\",\"time\":1,\"message\":\"[rtsp] listen\"}"))
            .IsEqualTo(new LogEvent.ListenFailed("rtsp", "listen tcp 127.0.0.1:8554: bind: address already in use"));
        await Assert.That(LogLine.Parse("{\"level\":\"info\",\"time\":1,\"message\":\"[webrtc] listen udp\",\"addr\":\":8555\"}"))
            .IsEqualTo(new LogEvent.Listening("webrtc", ":8555"));
    }

    [Test]
    [Arguments("exit with signal: terminated")]
    [Arguments("{not json")]
    [Arguments("panic: runtime error: invalid memory address")]
    [Arguments("")]
    public async Task Anything_else_means_nothing(string line)
    {
        await Assert.That(LogLine.Parse(line)).IsEqualTo(LogEvent.Nothing);
    }
}
