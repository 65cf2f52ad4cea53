using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LightNvr.Auth;
using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Storage;
using LightNvr.Streams;

namespace LightNvr.Board;

/// <summary>
/// Back to factory defaults without losing anything: the person's files (lightnvr.yaml and its last
/// valid copy, streams.yaml, their go2rtc.yaml) and the password (with the session key, so every
/// session ends) move into <c>{state_dir}/backups/factory-reset-UTCSTAMP/</c>, never deleted. A fresh
/// lightnvr.yaml keeps only what belongs to the box rather than the person (where its files live, how its
/// board is wired), so the LED, the button and the console still work after the reset.
/// </summary>
public static class FactoryReset
{
    /// <summary>The exit code asking systemd (Restart=always) for a fresh start on the new defaults.</summary>
    public const int RestartExitCode = 75;

    /// <returns>The backup folder.</returns>
    public static string Run(string configPath, AppConfig running, DateTimeOffset now)
    {
        var root = Path.Combine(running.StateDir, "backups");
        var stamp = "factory-reset-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var backup = Path.Combine(root, stamp);
        for (var n = 2; Directory.Exists(backup); n++) backup = Path.Combine(root, $"{stamp}-{n}");
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(root, OwnerOnly);
        Directory.CreateDirectory(backup, OwnerOnly);
        string[] files =
        [
            configPath, ConfigLoader.LastGoodPath(configPath), StreamsFile.PathBeside(configPath),
            Path.Combine(running.Go2rtc.ConfigDir, GeneratedConfig.PersonFileName),
            Path.Combine(running.StateDir, PasswordStore.FileName), Path.Combine(running.StateDir, SessionCookie.KeyFileName),
        ];
        foreach (var file in files.Where(File.Exists))
        {
            var target = Path.Combine(backup, Path.GetFileName(file));
            if (File.Exists(target)) target += "." + Path.GetFileName(Path.GetDirectoryName(file));
            File.Move(file, target); // across file systems (the boot partition) .NET copies, then deletes
        }
        AtomicFile.WriteAllText(configPath, Defaults(running, now));
        return backup;
    }

    /// <summary>A lightnvr.yaml of defaults that keeps the box's own facts.</summary>
    public static string Defaults(AppConfig running, DateTimeOffset now)
    {
        static string Q(string s) => "\"" + JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";
        static string B(bool b) => b ? "true" : "false";
        var (led, button, console) = (running.Board.Led, running.Board.Button, running.Board.Console);
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"""
            # Written by a factory reset at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: every setting is its default
            # except where this box keeps its files and how its board is wired. The previous files are in
            # the backups folder of the state directory.
            state_dir: {Q(running.StateDir)}
            go2rtc:
              binary: {Q(running.Go2rtc.Binary)}
              config_dir: {Q(running.Go2rtc.ConfigDir)}
            auth:
              password_file: {Q(running.Auth.PasswordFile)}
            board:
              led:
                driver: {Q(led.Driver)}
                name: {Q(led.Name)}
                chip: {Q(led.Chip)}
                line: {led.Line}
                active_low: {B(led.ActiveLow)}
              button:
                chip: {Q(button.Chip)}
                line: {button.Line}
                pull: {Q(button.Pull)}
                active_low: {B(button.ActiveLow)}
              console:
                device: {Q(console.Device)}
                baud: {console.Baud}

            """);
        return b.ToString();
    }
}
