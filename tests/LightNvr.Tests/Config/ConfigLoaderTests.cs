using LightNvr.Config;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

public class ConfigLoaderTests
{
    private static List<ConfigError> ErrorsOf(string yaml)
    {
        using var dir = new TempDir();
        var (config, errors) = ConfigLoader.Parse(yaml, "lightnvr.yaml", dir.Path);
        if (errors.Count == 0 && config is null) throw new InvalidOperationException("no config and no errors");
        return errors;
    }

    [Test]
    public async Task Empty_file_gives_the_build_defaults()
    {
        using var dir = new TempDir();
        var (config, errors) = ConfigLoader.Parse("", "lightnvr.yaml", dir.Path);
        await Assert.That(errors).IsEmpty();
        await Assert.That(config!.Go2rtc.ApiPort).IsEqualTo(LightNvr.Config.BuildOptions.Go2rtcApiPort);
        await Assert.That(config.Go2rtc.Binary).IsEqualTo(LightNvr.Config.BuildOptions.Go2rtcBinaryPath);
        await Assert.That(config.Go2rtc.Webrtc.IceServers).IsEmpty();
    }

    [Test]
    public async Task Valid_file_is_read_through_the_static_context()
    {
        using var dir = new TempDir();
        var yaml = """
            web: { listen: 127.0.0.1, port: 8081 }
            go2rtc:
              api_port: 11984
              webrtc_port: 18555
              webrtc:
                ice_servers:
                  - urls: [ "stun:stun.example.org:3478" ]
              log_level: debug
            state_dir: state
            """;
        var (config, errors) = ConfigLoader.Parse(yaml, "lightnvr.yaml", dir.Path);
        await Assert.That(errors).IsEmpty();
        await Assert.That(config!.Web.Port).IsEqualTo(8081);
        await Assert.That(config.Go2rtc.ApiPort).IsEqualTo(11984);
        await Assert.That(config.Go2rtc.Webrtc.IceServers[0].Urls[0]).IsEqualTo("stun:stun.example.org:3478");
        await Assert.That(config.StateDir).IsEqualTo(Path.Combine(dir.Path, "state")); // relative to the file
    }

    [Test]
    public async Task Unknown_key_names_the_field_position_and_the_nearest_key()
    {
        var errors = ErrorsOf("go2rtc:\n  api_prot: 1984\n");
        await Assert.That(errors).Count().IsEqualTo(1);
        var e = errors[0];
        await Assert.That(e.Path).IsEqualTo("go2rtc.api_prot");
        await Assert.That((e.Line, e.Column)).IsEqualTo((2, 3));
        await Assert.That(e.Message).Contains("did you mean `api_port`?");
    }

    [Test]
    public async Task Unknown_key_far_from_every_known_key_gets_no_suggestion()
    {
        var errors = ErrorsOf("frobnicate: 1\n");
        await Assert.That(errors[0].Message).DoesNotContain("did you mean");
        await Assert.That(errors[0].Message).Contains("unknown key");
    }

    [Test]
    public async Task Wrong_kind_of_value_says_what_was_expected_and_found()
    {
        var errors = ErrorsOf("go2rtc:\n  webrtc_port: abc\n  enabled: maybe\nweb: 5\n");
        var text = string.Join("\n", errors.Select(e => e.ToString()));
        await Assert.That(text).Contains("lightnvr.yaml:2:16: go2rtc.webrtc_port: expected a whole number, found 'abc'");
        await Assert.That(text).Contains("go2rtc.enabled: expected true or false, found 'maybe'");
        await Assert.That(text).Contains("web: expected a section of keys, found '5'");
    }

    [Test]
    [Arguments("go2rtc:\n  rtsp_port: 99999\n", "go2rtc.rtsp_port", "expected a port 1-65535, found 99999")]
    [Arguments("go2rtc:\n  api_port: 0\n", "go2rtc.api_port", "expected a port 1-65535, found 0")]
    [Arguments("web:\n  port: -1\n", "web.port", "expected a port 0-65535, found -1")]
    [Arguments("go2rtc:\n  api_port: 8554\n", "go2rtc.rtsp_port", "port 8554 is already used by go2rtc.api_port")]
    [Arguments("web:\n  listen: everywhere\n", "web.listen", "expected an IP address")]
    [Arguments("log:\n  level: loud\n", "log.level", "expected one of trace, debug, info, warn, error, found 'loud'")]
    [Arguments("go2rtc:\n  webrtc:\n    candidates: [ \"10.0.0.2:8555\", \"10.0.0.2:8555\" ]\n", "go2rtc.webrtc.candidates", "'10.0.0.2:8555' is listed 2 times")]
    [Arguments("go2rtc:\n  webrtc:\n    ice_servers:\n      - urls: [ \"http://x\" ]\n", "go2rtc.webrtc.ice_servers[0].urls[0]", "expected a stun:, turn: or turns: URL")]
    [Arguments("health:\n  period_ms: 5\n", "health.period_ms", "expected 100-60000 ms, found 5")]
    [Arguments("health:\n  period_ms: 2000\n  calm_period_ms: 1000\n", "health.calm_period_ms", "expected at least health.period_ms (2000), found 1000")]
    public async Task Meaning_errors_name_the_field_and_the_reason(string yaml, string path, string message)
    {
        var errors = ErrorsOf(yaml);
        await Assert.That(errors.Any(e => e.Path == path && e.Message.Contains(message)))
            .IsTrue().Because(string.Join("\n", errors));
    }

    [Test]
    public async Task Duplicate_key_and_broken_syntax_give_line_and_column()
    {
        var dup = ErrorsOf("web:\n  port: 1\n  port: 2\n");
        await Assert.That(dup[0].Message).Contains("Duplicate key port");
        await Assert.That(dup[0].Line).IsEqualTo(3);
        var broken = ErrorsOf("web: [\n");
        await Assert.That(broken[0].Message).StartsWith("syntax error");
        await Assert.That(broken[0].Line).IsGreaterThan(0);
    }

    [Test]
    public async Task All_errors_are_collected_not_only_the_first()
    {
        var errors = ErrorsOf("go2rtc:\n  api_prot: 1\n  rtsp_port: 99999\n  webrtc_port: x\nweb:\n  port: 70000\n");
        var paths = errors.Select(e => e.Path).ToList();
        await Assert.That(paths).Contains("go2rtc.api_prot");
        await Assert.That(paths).Contains("go2rtc.rtsp_port");
        await Assert.That(paths).Contains("go2rtc.webrtc_port");
        await Assert.That(paths).Contains("web.port");
    }

    [Test]
    public async Task Unusable_paths_each_have_their_own_message()
    {
        using var dir = new TempDir();
        var file = dir.Write("plain-file", "x");
        var (_, errors) = ConfigLoader.Parse($"state_dir: {file}\ngo2rtc:\n  config_dir: /proc/sys/lightnvr/go2rtc\n  binary: {dir.Path}\n",
            "lightnvr.yaml", dir.Path);
        var text = string.Join("\n", errors);
        await Assert.That(text).Contains($"state_dir: {file} is a file, expected a directory");
        await Assert.That(text).Contains("go2rtc.config_dir: /proc/sys/lightnvr/go2rtc does not exist and cannot be created: /proc/sys is not writable");
        await Assert.That(text).Contains($"go2rtc.binary: {dir.Path} is a directory");
    }

    [Test]
    public async Task Unreadable_file_is_an_error_not_defaults()
    {
        using var dir = new TempDir();
        var (config, errors) = ConfigLoader.CheckFile(dir.File("missing.yaml"));
        await Assert.That(config).IsNull();
        await Assert.That(errors[0].Message).StartsWith("cannot read the file");
    }
}
