using LightNvr;
using LightNvr.Cli;
using LightNvr.Config;

// Verbs first; anything else runs the appliance.
switch (args)
{
    case ["--version" or "-v" or "version"]:
        return Commands.Version(Console.Out);
    case ["--help" or "-h" or "help"]:
        return Commands.Usage(Console.Out, 0);
}

// Every other path uses Mono.Posix: a missing side library is one line and exit 1, never an abort.
if (LightNvr.Posix.SideLibraries.Problem() is { } missing)
{
    Console.Error.WriteLine(missing);
    return 1;
}

switch (args)
{
    case ["check-config", var file]:
        return Commands.CheckConfig(file, Console.Out);
    case ["passwd", .. var rest]:
        // fd 0 as a plain file, not Console.In: .NET's console reader turns the terminal's echo back on before each read.
        return PasswdCommand.Run(rest, new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1)),
            Console.Out, Console.Error, !Console.IsInputRedirected);
}

LightNvr.Web.CryptoWarmUp.Start(); // OpenSSL loads beside the config read and the host build
var configPath = ConfigLoader.DefaultPath;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--config" && i + 1 < args.Length) configPath = args[++i];
    else return Commands.Usage(Console.Error, 2);
}

var (loaded, errors) = ConfigLoader.LoadForStartup(configPath);
foreach (var e in errors) Console.Error.WriteLine("config: " + LightNvr.Logging.Redactor.Redact(e.ToString()));
if (loaded is null)
{
    Console.Error.WriteLine($"config: {configPath} cannot be used and there is no last valid copy; not starting.");
    return Commands.ExitConfig;
}

var app = AppHost.Build(loaded);
if (loaded.FromLastGood)
    app.Logger.LogError("{Path} has {Count} error(s); running on the last valid copy", configPath, errors.Count);
await app.RunAsync();
// 0, or the code a factory reset set to ask systemd for a fresh start on the new defaults.
return Environment.ExitCode;
