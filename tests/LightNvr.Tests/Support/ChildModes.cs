using System.Runtime.CompilerServices;

namespace LightNvr.Tests.Support;

/// <summary>
/// Lets a test re-run this test executable as a child process that does one job, chosen by the
/// environment variable LIGHTNVR_TEST_CHILD, before the test platform starts. Used where a test needs
/// a real process to kill at random moments.
/// </summary>
internal static class ChildModes
{
    public const string Variable = "LIGHTNVR_TEST_CHILD";

#pragma warning disable CA2255 // a module initializer is exactly the hook needed: it runs before Main
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Run()
    {
        switch (Environment.GetEnvironmentVariable(Variable))
        {
            case null or "": return;
            case "atomic-writer":
                Storage.AtomicWriterChild.Run(Environment.GetEnvironmentVariable("LIGHTNVR_TEST_FILE")!);
                Environment.Exit(0);
                break;
            default:
                Console.Error.WriteLine("unknown child mode");
                Environment.Exit(64);
                break;
        }
    }

    /// <summary>The command that starts this test executable again.</summary>
    public static (string File, string[] Args) Self()
    {
        var entry = typeof(ChildModes).Assembly.Location;
        return ("dotnet", ["exec", entry]);
    }
}
