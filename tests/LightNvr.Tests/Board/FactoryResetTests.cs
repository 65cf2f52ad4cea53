using LightNvr.Auth;
using LightNvr.Board;
using LightNvr.Config;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Board;

/// <summary>A factory reset on real files: everything the person made is moved, never deleted; the box's wiring stays.</summary>
public class FactoryResetTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-01T10:20:30Z");

    [Test]
    public async Task The_persons_files_and_password_move_to_a_dated_backup_and_defaults_keep_the_wiring()
    {
        using var dir = new TempDir();
        var etc = Directory.CreateDirectory(dir.File("boot")).FullName;
        var state = Directory.CreateDirectory(dir.File("state")).FullName;
        var go2rtcDir = Directory.CreateDirectory(dir.File("go2rtc")).FullName;
        var configPath = Path.Combine(etc, "lightnvr.yaml");
        var yaml = $"""
            state_dir: {state}
            web:
              port: 9090
            go2rtc:
              config_dir: {go2rtcDir}
              binary: /opt/go2rtc/go2rtc
            board:
              led: {"{"} driver: sysfs, name: "lightnvr:status" {"}"}
              button: {"{"} chip: lnvr-sim, line: 0, pull: down, active_low: false {"}"}
              console: {"{"} device: /dev/hvc0 {"}"}
            """;
        File.WriteAllText(configPath, yaml);
        File.WriteAllText(configPath + ".last-good", yaml);
        File.WriteAllText(Path.Combine(etc, "streams.yaml"), "cameras:\n  - name: door\n    url: rtsp://10.0.0.5/x\n    password: secret\n");
        File.WriteAllText(Path.Combine(go2rtcDir, "go2rtc.yaml"), "log:\n  level: debug\n");
        File.WriteAllText(Path.Combine(go2rtcDir, "go2rtc.generated.yaml"), "generated\n");
        await Assert.That(new PasswordStore(state).Set("old-password-1")).IsNull();
        File.WriteAllBytes(Path.Combine(state, "session-key"), new byte[32]);
        var (running, errors) = ConfigLoader.CheckFile(configPath);
        await Assert.That(errors).IsEmpty().Because(string.Join("\n", errors));

        var backup = FactoryReset.Run(configPath, running!, At);

        await Assert.That(backup).IsEqualTo(Path.Combine(state, "backups", "factory-reset-20261201-102030"));
        await Assert.That(File.GetUnixFileMode(backup)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var name in new[] { "lightnvr.yaml", "lightnvr.yaml.last-good", "streams.yaml", "go2rtc.yaml", "admin-password", "session-key" })
            await Assert.That(File.Exists(Path.Combine(backup, name))).IsTrue().Because(name);
        await Assert.That(File.ReadAllText(Path.Combine(backup, "lightnvr.yaml"))).IsEqualTo(yaml);
        await Assert.That(File.ReadAllText(Path.Combine(backup, "streams.yaml"))).Contains("secret");
        await Assert.That(File.Exists(Path.Combine(etc, "streams.yaml"))).IsFalse();
        await Assert.That(File.Exists(Path.Combine(go2rtcDir, "go2rtc.yaml"))).IsFalse();
        await Assert.That(File.Exists(Path.Combine(go2rtcDir, "go2rtc.generated.yaml"))).IsTrue(); // regenerated on every start anyway
        await Assert.That(new PasswordStore(state).Exists).IsFalse();                                 // onboarding again

        var (fresh, freshErrors) = ConfigLoader.CheckFile(configPath);
        await Assert.That(freshErrors).IsEmpty().Because(File.ReadAllText(configPath));
        await Assert.That(fresh!.Web.Port).IsEqualTo(8080);                                       // the person's choice is gone
        await Assert.That(fresh.StateDir).IsEqualTo(state);                                       // the box's facts stay
        await Assert.That(fresh.Go2rtc.Binary).IsEqualTo("/opt/go2rtc/go2rtc");
        await Assert.That(fresh.Go2rtc.ConfigDir).IsEqualTo(go2rtcDir);
        await Assert.That((fresh.Board.Led.Driver, fresh.Board.Led.Name)).IsEqualTo(("sysfs", "lightnvr:status"));
        await Assert.That((fresh.Board.Button.Chip, fresh.Board.Button.Line, fresh.Board.Button.Pull, fresh.Board.Button.ActiveLow)).IsEqualTo(("lnvr-sim", 0, "down", false));
        await Assert.That(fresh.Board.Console.Device).IsEqualTo("/dev/hvc0");
        await Assert.That(File.GetUnixFileMode(configPath) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)).IsEqualTo((UnixFileMode)0);

        // A second reset in the same second never overwrites the first backup.
        var again = FactoryReset.Run(configPath, fresh, At);
        await Assert.That(again).IsEqualTo(backup + "-2");
        await Assert.That(File.ReadAllText(Path.Combine(backup, "lightnvr.yaml"))).IsEqualTo(yaml);
    }

    [Test]
    public async Task Odd_characters_in_kept_paths_survive_the_written_yaml()
    {
        using var dir = new TempDir();
        var c = new AppConfig { StateDir = Directory.CreateDirectory(dir.File("light \"nvr\" #1: ü\\x")).FullName };
        c.Go2rtc.ConfigDir = dir.Path;
        c.Board.Led.Name = "a: b # c";
        var (parsed, errors) = ConfigLoader.Parse(FactoryReset.Defaults(c, At), "lightnvr.yaml", "/");
        await Assert.That(errors).IsEmpty().Because(string.Join("\n", errors));
        await Assert.That(parsed!.StateDir).IsEqualTo(c.StateDir);
        await Assert.That(parsed.Board.Led.Name).IsEqualTo("a: b # c");
    }
}
