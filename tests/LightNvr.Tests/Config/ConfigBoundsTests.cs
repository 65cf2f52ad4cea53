using LightNvr.Cli;
using LightNvr.Config;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Config;

/// <summary>Every path is bounded by PATH_MAX and refuses NUL; every text value of the config is bounded.</summary>
public class ConfigBoundsTests
{
    private static List<ConfigError> Errors(string yaml) => ConfigLoader.Parse(yaml, "lightnvr.yaml", "/tmp").Errors;

    [Test]
    [Arguments("state_dir")]
    [Arguments("go2rtc.binary")]
    [Arguments("go2rtc.config_dir")]
    [Arguments("auth.password_file")]
    [Arguments("board.console.device")]
    public async Task A_ten_megabyte_path_is_refused_naming_the_field(string field)
    {
        var yaml = Yaml(field, "/x" + new string('a', 10 * 1024 * 1024));
        var error = Errors(yaml).Single(e => e.Path == field);
        await Assert.That(error.Message).Contains("the limit is 4096");
        await Assert.That(error.Message.Length).IsLessThan(200);
    }

    [Test]
    [Arguments("state_dir")]
    [Arguments("go2rtc.config_dir")]
    [Arguments("auth.password_file")]
    public async Task A_path_with_a_nul_is_refused(string field)
    {
        var error = Errors(Yaml(field, "/var/lib/x\\0y", quoted: true)).Single(e => e.Path == field);
        await Assert.That(error.Message).Contains("NUL");
    }

    [Test]
    public async Task A_path_of_4096_bytes_is_over_path_max_and_4095_is_not()
    {
        var okay = "/" + new string('d', 4094);
        await Assert.That(Errors(Yaml("go2rtc.binary", okay)).Any(e => e.Path == "go2rtc.binary" && e.Message.Contains("PATH_MAX"))).IsFalse();
        var over = "/" + new string('é', 2048); // 4097 bytes in 2049 characters
        await Assert.That(Errors(Yaml("go2rtc.binary", over)).Single(e => e.Path == "go2rtc.binary").Message).Contains("PATH_MAX");
    }

    [Test]
    public async Task Any_text_value_is_bounded_and_host_names_are_checked()
    {
        var errors = Errors("log:\n  level: " + new string('x', 5000) + "\nweb:\n  hostnames: [\"nvr.home.lan\", \"bad name!\", \"10.0.0.1\"]\n");
        await Assert.That(errors.Single(e => e.Path == "log.level").Message).Contains("the limit is 4096");
        await Assert.That(errors.Any(e => e.Path == "web.hostnames[0]")).IsFalse();
        await Assert.That(errors.Any(e => e.Path == "web.hostnames[1]")).IsTrue();
        await Assert.That(errors.Any(e => e.Path == "web.hostnames[2]")).IsTrue();
    }

    [Test]
    public async Task Check_config_refuses_a_ten_megabyte_state_dir_in_one_short_line()
    {
        using var dir = new TempDir();
        var file = dir.Write("lightnvr.yaml", "state_dir: /" + new string('s', 10 * 1024 * 1024) + "\n");
        var output = new StringWriter();
        await Assert.That(Commands.CheckConfig(file, output)).IsEqualTo(1);
        await Assert.That(output.ToString()).Contains("state_dir").And.Contains("the limit is 4096");
        await Assert.That(output.ToString().Length).IsLessThan(2000);
    }

    private static string Yaml(string field, string value, bool quoted = false)
    {
        var v = quoted ? $"\"{value}\"" : value;
        var parts = field.Split('.');
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < parts.Length; i++)
            text.Append(new string(' ', 2 * i)).Append(parts[i]).Append(':').Append(i == parts.Length - 1 ? $" {v}\n" : "\n");
        return text.ToString();
    }
}
