using LightNvr.Storage;
using Mono.Unix.Native;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LightNvr.Config;

/// <summary>The result of loading lightnvr.yaml: the config to run on, and what is wrong with the file.</summary>
/// <param name="FromLastGood">True when the file had errors and the last valid copy is in use.</param>
public sealed record LoadedConfig(AppConfig Config, string Path, IReadOnlyList<ConfigError> Errors, bool FromLastGood);

/// <summary>Reads and validates lightnvr.yaml; keeps a last-good copy beside it.</summary>
public static class ConfigLoader
{
    public const string DefaultPath = "/etc/lightnvr/lightnvr.yaml";
    private static readonly INamingConvention Naming = UnderscoredNamingConvention.Instance;
    private static readonly AppYamlContext Context = new();

    public static string LastGoodPath(string path) => path + ".last-good";

    /// <summary>Parses and validates YAML text. Relative paths are resolved against <paramref name="baseDir"/>.</summary>
    public static (AppConfig? Config, List<ConfigError> Errors) Parse(string text, string file, string baseDir)
    {
        var shape = YamlShapeCheck.Check(text, file, typeof(AppConfig), Context, Naming);
        var errors = shape.Errors.ToList();
        if (shape.Usable is null) return (null, errors);
        // The meaning checks run on what is left after faulty entries were pruned: all errors at once.
        var config = new StaticDeserializerBuilder(Context).WithNamingConvention(Naming).Build()
            .Deserialize<AppConfig?>(shape.Usable) ?? new AppConfig();
        ResolvePaths(config, baseDir);
        errors.AddRange(ConfigRules.Check(config, file, shape.Marks));
        errors.AddRange(CheckPaths(config, file, shape.Marks));
        return (errors.Count == 0 ? config : null, errors);
    }

    /// <summary>Reads and validates a file (for <c>lightnvr check-config</c> and start-up).</summary>
    public static (AppConfig? Config, List<ConfigError> Errors) CheckFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ConfigError(path, 0, 0, "(file)", $"cannot read the file: {e.Message}")]);
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Start-up: a valid file is used and copied to the last-good file; an invalid one falls back to
    /// the last-good copy with its errors kept for the status page; with no last-good copy, null.
    /// Nothing is ever silently replaced with defaults.
    /// </summary>
    public static (LoadedConfig? Loaded, List<ConfigError> Errors) LoadForStartup(string path)
    {
        var (config, errors) = CheckFile(path);
        var lastGood = LastGoodPath(path);
        if (config is not null)
        {
            var text = File.ReadAllText(path);
            if (!File.Exists(lastGood) || File.ReadAllText(lastGood) != text)
            {
                try { AtomicFile.WriteAllText(lastGood, text); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* read-only /etc: run anyway */ }
            }
            return (new LoadedConfig(config, path, [], false), errors);
        }
        if (File.Exists(lastGood))
        {
            var (previous, _) = Parse(File.ReadAllText(lastGood), lastGood, Path.GetDirectoryName(Path.GetFullPath(path))!);
            if (previous is not null) return (new LoadedConfig(previous, path, errors, true), errors);
        }
        return (null, errors);
    }

    private static void ResolvePaths(AppConfig c, string baseDir)
    {
        // Text the rules will refuse (NUL, over PATH_MAX) is left as written: resolving it would throw or grow it.
        static string Abs(string p, string b) => string.IsNullOrWhiteSpace(p) || Path.IsPathRooted(p) || p.Contains('\0')
            || p.Length >= ConfigRules.MaxPathBytes ? p : Path.GetFullPath(p, b);
        c.StateDir = Abs(c.StateDir, baseDir);
        c.Go2rtc.ConfigDir = Abs(c.Go2rtc.ConfigDir, baseDir);
        // A bare name ("go2rtc") is looked up in PATH by the supervisor; only paths with a slash are resolved.
        if (c.Go2rtc.Binary.Contains('/')) c.Go2rtc.Binary = Abs(c.Go2rtc.Binary, baseDir);
    }

    private static IEnumerable<ConfigError> CheckPaths(AppConfig c, string file, IReadOnlyDictionary<string, YamlDotNet.Core.Mark> marks)
    {
        ConfigError Error(string path, string message)
        {
            var m = marks.TryGetValue(path, out var mark) ? mark : YamlDotNet.Core.Mark.Empty;
            return new ConfigError(file, (int)m.Line, (int)m.Column, path, message);
        }
        foreach (var (path, dir) in new[] { ("state_dir", c.StateDir), ("go2rtc.config_dir", c.Go2rtc.ConfigDir) })
        {
            if (string.IsNullOrWhiteSpace(dir) || dir.Contains('\0') || System.Text.Encoding.UTF8.GetByteCount(dir) >= ConfigRules.MaxPathBytes) continue;
            if (File.Exists(dir)) yield return Error(path, $"{dir} is a file, expected a directory");
            else if (Directory.Exists(dir))
            {
                if (Syscall.access(dir, AccessModes.W_OK | AccessModes.X_OK) != 0)
                    yield return Error(path, $"{dir} is not writable by this user");
            }
            else if (ExistingAncestor(dir) is { } ancestor && Syscall.access(ancestor, AccessModes.W_OK | AccessModes.X_OK) != 0)
                yield return Error(path, $"{dir} does not exist and cannot be created: {ancestor} is not writable");
        }
        var binary = c.Go2rtc.Binary;
        if (binary.Contains('/') && !binary.Contains('\0') && Directory.Exists(binary))
            yield return Error("go2rtc.binary", $"{binary} is a directory, expected the go2rtc executable");
    }

    private static string? ExistingAncestor(string dir)
    {
        for (var d = Path.GetDirectoryName(dir); d is not null; d = Path.GetDirectoryName(d))
            if (Directory.Exists(d)) return d;
        return null;
    }
}
