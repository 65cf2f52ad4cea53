using LightNvr.Config;
using System.Text;
using LightNvr.Streams;

namespace LightNvr.Tests.Streams;

public class SourceBuilderTests
{
    private static Camera Cam(string url = "rtsp://10.0.0.5/ch1", string? user = null, string? pass = null,
        string? transport = null, int? timeout = null, string? media = null, bool? back = null,
        string? video = null, string? audio = null, string? hardware = null, string? sub = null) =>
        new()
        {
            Name = "cam", Url = url, Username = user, Password = pass, Transport = transport, Timeout = timeout,
            Media = media, Backchannel = back, Video = video, Audio = audio, Hardware = hardware, SubUrl = sub,
        };

    public sealed record MainRow(Camera Camera, string[] Expected);

    public static IEnumerable<Func<MainRow>> MainCases()
    {
        yield return () => new MainRow(Cam(), ["rtsp://10.0.0.5/ch1"]);
        yield return () => new MainRow(Cam(user: "admin", pass: "p@ss#1"), ["rtsp://admin:p%40ss%231@10.0.0.5/ch1"]);
        yield return () => new MainRow(Cam(user: "admin"), ["rtsp://admin@10.0.0.5/ch1"]);
        yield return () => new MainRow(Cam(url: "rtsp://10.0.0.5:554/ch1?subtype=0", user: "u", pass: "p"), ["rtsp://u:p@10.0.0.5:554/ch1?subtype=0"]);
        yield return () => new MainRow(Cam(transport: "tcp", timeout: 30), ["rtsp://10.0.0.5/ch1#transport=tcp#timeout=30"]);
        // Fixed order: transport, timeout, media, backchannel, whatever order the fields were written in.
        yield return () => new MainRow(Cam(back: true, media: "video,audio", timeout: 10, transport: "tcp"),
            ["rtsp://10.0.0.5/ch1#transport=tcp#timeout=10#media=video,audio#backchannel=1"]);
        // Backchannel rule: any # parameter turns it off unless backchannel=1 is given.
        yield return () => new MainRow(Cam(transport: "tcp", back: true), ["rtsp://10.0.0.5/ch1#transport=tcp#backchannel=1"]);
        yield return () => new MainRow(Cam(back: true), ["rtsp://10.0.0.5/ch1#backchannel=1"]);
        yield return () => new MainRow(Cam(back: false), ["rtsp://10.0.0.5/ch1#backchannel=0"]);
        yield return () => new MainRow(Cam(transport: "tcp"), ["rtsp://10.0.0.5/ch1#transport=tcp"]);
        yield return () => new MainRow(Cam(media: "audio"), ["rtsp://10.0.0.5/ch1#media=audio"]);
        // No timeout on UDP shorter than the RTSP keepalive (it would reconnect the camera); a long one is kept.
        yield return () => new MainRow(Cam(transport: "udp", timeout: 30), ["rtsp://10.0.0.5/ch1#transport=udp"]);
        yield return () => new MainRow(Cam(transport: "udp", timeout: 90), ["rtsp://10.0.0.5/ch1#transport=udp#timeout=90"]);
        yield return () => new MainRow(Cam(url: "rtsps://cam.local/x", back: false), ["rtsps://cam.local/x#backchannel=0"]);
        yield return () => new MainRow(Cam(url: "rtspx://10.0.0.1:7441/abc", transport: "tcp"), ["rtspx://10.0.0.1:7441/abc#transport=tcp"]);
        // No # parameters outside RTSP (they would become part of the URL), credentials still go in.
        yield return () => new MainRow(Cam(url: "http://10.0.0.5/mjpeg", user: "a", pass: "b c"), ["http://a:b%20c@10.0.0.5/mjpeg"]);
        yield return () => new MainRow(Cam(url: "onvif://10.0.0.5:8000?subtype=x", user: "a", pass: "b"), ["onvif://a:b@10.0.0.5:8000?subtype=x"]);
        yield return () => new MainRow(Cam(url: "rtmp://10.0.0.5/live", user: "a", pass: "b"), ["rtmp://a:b@10.0.0.5/live"]);
        // Transcodes read the go2rtc stream by name (loopback), never the camera again (a second camera session).
        yield return () => new MainRow(Cam(video: "h264", hardware: "true", audio: "aac,opus", transport: "tcp"),
            ["rtsp://10.0.0.5/ch1#transport=tcp", "ffmpeg:cam#video=h264#hardware", "ffmpeg:cam#audio=aac#audio=opus"]);
        yield return () => new MainRow(Cam(video: "h264", hardware: "false"), ["rtsp://10.0.0.5/ch1", "ffmpeg:cam#video=h264"]);
        yield return () => new MainRow(Cam(video: "h264", hardware: "v4l2m2m"), ["rtsp://10.0.0.5/ch1", "ffmpeg:cam#video=h264#hardware=v4l2m2m"]);
        yield return () => new MainRow(Cam(url: "http://10.0.0.5/mjpeg", video: "h264"), ["http://10.0.0.5/mjpeg", "ffmpeg:cam#video=h264"]);
        // On an ffmpeg: URL the transcode parameters go on the source itself.
        yield return () => new MainRow(Cam(url: "ffmpeg:rtsp://h/x", user: "admin", pass: "p:w", video: "h264", hardware: "vaapi", audio: "opus"),
            ["ffmpeg:rtsp://admin:p%3Aw@h/x#video=h264#hardware=vaapi#audio=opus"]);
        yield return () => new MainRow(Cam(url: "ffmpeg:front", audio: "opus"), ["ffmpeg:front#audio=opus"]);
        yield return () => new MainRow(Cam(url: "ffmpeg:rtsp://h/x", video: "copy", audio: "copy"), ["ffmpeg:rtsp://h/x#video=copy#audio=copy"]);
    }

    [Test]
    [MethodDataSource(nameof(MainCases))]
    public async Task Main_stream_sources(MainRow row)
    {
        await Assert.That(CameraRules.Problems(row.Camera).Where(p => !(p.Field == "timeout" && row.Camera.Transport == "udp")).ToList())
            .IsEmpty(); // every row is a camera the rules accept (the udp row checks the builder's own guard)
        await Assert.That(string.Join("\n", SourceBuilder.Sources(row.Camera))).IsEqualTo(string.Join("\n", row.Expected));
    }

    public sealed record SubRow(Camera Camera, string? Expected);

    public static IEnumerable<Func<SubRow>> SubCases()
    {
        yield return () => new SubRow(Cam(), null);
        yield return () => new SubRow(Cam(sub: "rtsp://10.0.0.5/ch2"), "rtsp://10.0.0.5/ch2#media=video#backchannel=0");
        // Same credentials and transport as the main stream, never audio or backchannel.
        yield return () => new SubRow(Cam(user: "admin", pass: "p@ss", transport: "tcp", timeout: 20, back: true, media: "video,audio", audio: "opus",
                sub: "rtsp://10.0.0.5/ch2"),
            "rtsp://admin:p%40ss@10.0.0.5/ch2#transport=tcp#timeout=20#media=video#backchannel=0");
        yield return () => new SubRow(Cam(user: "a", pass: "b", sub: "http://10.0.0.5/sub.mjpeg"), "http://a:b@10.0.0.5/sub.mjpeg");
        yield return () => new SubRow(Cam(user: "a", pass: "b", sub: "ffmpeg:other"), "ffmpeg:other");
    }

    [Test]
    [MethodDataSource(nameof(SubCases))]
    public async Task Sub_stream_source(SubRow row)
    {
        await Assert.That(SourceBuilder.SubSource(row.Camera)).IsEqualTo(row.Expected);
    }

    [Test]
    [Arguments("@", "%40")]
    [Arguments("#", "%23")]
    [Arguments(":", "%3A")]
    [Arguments("/", "%2F")]
    [Arguments("%", "%25")]
    [Arguments("?", "%3F")]
    [Arguments(" ", "%20")]
    [Arguments("+", "%2B")]
    [Arguments(";", "%3B")]
    [Arguments("&", "%26")]
    [Arguments("=", "%3D")]
    [Arguments("'", "%27")]
    [Arguments("\"", "%22")]
    [Arguments("[]", "%5B%5D")]
    [Arguments("é", "%C3%A9")]
    [Arguments("Az09-._~", "Az09-._~")]
    public async Task Userinfo_encoding(string raw, string encoded)
    {
        await Assert.That(SourceBuilder.EncodeUserInfo(raw)).IsEqualTo(encoded);
    }

    [Test]
    public async Task Query_encodes_each_value_exactly_once()
    {
        var query = SourceBuilder.QueryFor("front", ["rtsp://admin:p%40ss%231@10.0.0.5/ch1?subtype=0#backchannel=0", "ffmpeg:front#video=h264"]);
        await Assert.That(query).IsEqualTo(
            "name=front&src=rtsp%3A%2F%2Fadmin%3Ap%2540ss%25231%4010.0.0.5%2Fch1%3Fsubtype%3D0%23backchannel%3D0&src=ffmpeg%3Afront%23video%3Dh264");
    }

    [Test]
    [Arguments("admin", "p@ss#1%;+ word")]
    [Arguments("ad:min@x", "a/b?c:d@e#f%g h+i;j&k=l")]
    [Arguments("user", "pässwörd%2540")]
    [Arguments("u", "%40%23")]
    [Arguments("u", "++  ++")]
    public async Task Password_round_trips_through_gos_query_and_url_parsing(string user, string password)
    {
        var camera = Cam(url: "rtsp://10.0.0.5:554/ch1?subtype=0", user: user, pass: password, transport: "tcp", back: false);
        var query = SourceBuilder.QueryFor("cam", SourceBuilder.Sources(camera));

        var values = GoQuery(query);
        await Assert.That(values["name"]).IsEquivalentTo(new[] { "cam" });
        var src = values["src"].Single();
        // go2rtc cuts its parameters at the first raw '#', then Go's url.Parse reads the rest.
        var (url, parameters) = Cut(src, '#');
        await Assert.That(parameters).IsEqualTo("transport=tcp#backchannel=0");
        var (gotUser, gotPassword, host) = GoUserinfo(url);
        await Assert.That(gotUser).IsEqualTo(user);
        await Assert.That(gotPassword).IsEqualTo(password);
        await Assert.That(host).IsEqualTo("10.0.0.5:554");
    }

    [Test]
    public async Task Redacted_sources_hold_no_credentials()
    {
        var camera = Cam(user: "admin", pass: "Sentinel-Pw-91", video: "h264", sub: "rtsp://10.0.0.5/ch2");
        var all = SourceBuilder.Sources(camera, redact: true).Append(SourceBuilder.SubSource(camera, redact: true)!).ToList();
        await Assert.That(all[0]).IsEqualTo("rtsp://***@10.0.0.5/ch1");
        foreach (var s in all) await Assert.That(s).DoesNotContain("Sentinel-Pw-91").And.DoesNotContain("admin");
    }

    // ---- A Go-style decoder: net/url's Query() (split on '&', drop pairs with ';', '+' → space,
    // percent-decode once) and Parse()'s userinfo (last '@' of the authority, percent-decode once, '+' kept).

    private static Dictionary<string, List<string>> GoQuery(string query)
    {
        var result = new Dictionary<string, List<string>>();
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0 || pair.Contains(';')) continue; // Go ≥ 1.17 drops such pairs
            var (key, value) = Cut(pair, '=');
            var k = Unescape(key, plusIsSpace: true);
            var v = Unescape(value ?? "", plusIsSpace: true);
            if (!result.TryGetValue(k, out var list)) result[k] = list = [];
            list.Add(v);
        }
        return result;
    }

    private static (string User, string? Password, string Host) GoUserinfo(string url)
    {
        var (beforeFragment, _) = Cut(url, '#');
        var (beforeQuery, _) = Cut(beforeFragment, '?');
        var rest = beforeQuery[(beforeQuery.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = rest.IndexOf('/');
        var authority = slash >= 0 ? rest[..slash] : rest;
        var at = authority.LastIndexOf('@');
        if (at < 0) throw new InvalidOperationException("no userinfo");
        var userinfo = authority[..at];
        if (userinfo.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || "-._~!$&'()*+,;=%:@".Contains(ch))))
            throw new InvalidOperationException("net/url: invalid userinfo");
        var (user, password) = Cut(userinfo, ':');
        return (Unescape(user, false), password is null ? null : Unescape(password, false), authority[(at + 1)..]);
    }

    private static (string Before, string? After) Cut(string s, char sep)
    {
        var i = s.IndexOf(sep);
        return i < 0 ? (s, null) : (s[..i], s[(i + 1)..]);
    }

    private static string Unescape(string s, bool plusIsSpace)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            if (ch == '%')
            {
                if (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2]))
                    throw new InvalidOperationException("invalid URL escape");
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (ch == '+' && plusIsSpace) bytes.Add((byte)' ');
            else bytes.AddRange(Encoding.UTF8.GetBytes(ch.ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
