using LightNvr.Auth;
using LightNvr.Config;

namespace LightNvr.Cli;

/// <summary>
/// <c>lightnvr passwd [--config FILE]</c>: sets the admin password on the device. On a terminal it
/// asks twice without echo; from a pipe it reads one line (for scripts: <c>echo … | lightnvr passwd</c>).
/// A running appliance picks the new password up at once and ends existing sessions.
/// </summary>
public static class PasswdCommand
{
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error, bool interactive)
    {
        var configPath = ConfigLoader.DefaultPath;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length) configPath = args[++i];
            else
            {
                error.WriteLine("usage: lightnvr passwd [--config FILE]");
                return 2;
            }
        }
        var (config, errors) = ConfigLoader.CheckFile(configPath);
        if (config is null)
        {
            foreach (var e in errors) error.WriteLine("config: " + Logging.Redactor.Redact(e.ToString()));
            error.WriteLine($"passwd: {configPath} cannot be used, so the state directory is unknown; nothing changed");
            return Commands.ExitConfig;
        }

        string? password, again;
        if (interactive)
        {
            password = Prompt(input, output, "New admin password: ");
            again = Prompt(input, output, "Repeat it: ");
        }
        else again = password = input.ReadLine();
        if (password is null)
        {
            error.WriteLine("passwd: no password given on standard input; nothing changed");
            return 1;
        }
        if (password != again)
        {
            error.WriteLine("passwd: the two passwords differ; nothing changed");
            return 1;
        }
        var store = new PasswordStore(config.StateDir);
        string? problem;
        try
        {
            problem = store.Set(password);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"passwd: cannot write {store.Path}: {e.Message}");
            return 1;
        }
        if (problem is not null)
        {
            error.WriteLine($"passwd: {problem} (at least {PasswordRules.MinLength}); nothing changed");
            return 1;
        }
        output.WriteLine($"passwd: the admin password is set ({store.Path}); signed-in sessions end");
        return 0;
    }

    /// <summary>Reads a line from the terminal without echoing it.</summary>
    private static string? Prompt(TextReader input, TextWriter output, string prompt)
    {
        output.Write(prompt);
        output.Flush();
        string? line;
        using (TerminalEcho.Off()) line = input.ReadLine();
        output.WriteLine();
        return line;
    }
}
