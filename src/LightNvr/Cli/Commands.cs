using LightNvr.Config;

namespace LightNvr.Cli;

/// <summary>The command-line verbs other than "run": each returns the process exit code.</summary>
public static class Commands
{
    /// <summary>sysexits.h EX_CONFIG: what systemd and a person see when the config cannot be used.</summary>
    public const int ExitConfig = 78;

    public static int Version(TextWriter output)
    {
        output.WriteLine($"lightnvr {BuildOptions.Version}");
        output.WriteLine($"ENABLE_GO2RTC={(BuildOptions.Go2rtcEnabled ? "ON" : "OFF")}");
        output.WriteLine($"GO2RTC_BINARY_PATH={BuildOptions.Go2rtcBinaryPath}");
        output.WriteLine($"GO2RTC_CONFIG_DIR={BuildOptions.Go2rtcConfigDir}");
        output.WriteLine($"GO2RTC_API_PORT={BuildOptions.Go2rtcApiPort}");
        return 0;
    }

    public static int CheckConfig(string path, TextWriter output)
    {
        var (config, errors) = ConfigLoader.CheckFile(path);
        foreach (var e in errors) output.WriteLine(Logging.Redactor.Redact(e.ToString()));
        if (config is null)
        {
            output.WriteLine($"{path}: {errors.Count} error(s)");
            return 1;
        }
        output.WriteLine($"{path}: ok");
        return 0;
    }

    public static int Usage(TextWriter output, int code)
    {
        output.WriteLine("""
            usage: lightnvr [--config FILE]          run the appliance (default /etc/lightnvr/lightnvr.yaml)
                   lightnvr check-config FILE        validate a config file; exit 0 if valid, 1 if not
                   lightnvr passwd [--config FILE]   set the admin password (asks twice, or reads one line from a pipe)
                   lightnvr --version                print the version and the build options
            """);
        return code;
    }
}
