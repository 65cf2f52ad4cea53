using System.Diagnostics;
using System.Text;
using Mono.Unix.Native;

namespace LightNvr.Tests.Support;

/// <summary>
/// The appliance as a real process (dotnet exec lightnvr.dll): its output collected, its pages
/// fetched, and on disposal a SIGTERM (so it stops its go2rtc) before a kill as the last resort.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();

    public static string DefaultDll => Path.Combine(AppContext.BaseDirectory, "lightnvr.dll");

    public Process Process { get; }
    public int Id => Process.Id;

    /// <summary>Everything the appliance wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    private AppProcess(Process process)
    {
        Process = process;
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public static AppProcess Start(string config, string? dll = null, string? workingDirectory = null) =>
        new(Cli.AppProcessTests.StartIn(workingDirectory, dll ?? DefaultDll, "--config", config));

    /// <summary>Any command that ends by exec-ing the appliance in the same process (e.g. unshare … sh -c '… exec dotnet …').</summary>
    public static AppProcess StartCommand(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        return new(Process.Start(start)!);
    }

    /// <summary>GETs a page until it answers (and satisfies <paramref name="until"/>), within a deadline.</summary>
    public static Task<string> WaitForPage(HttpClient http, string path, Func<string, bool>? until = null, double seconds = 30) =>
        Wait.Until(async () =>
        {
            try { return await http.GetStringAsync(path) is var text && (until is null || until(text)) ? text : null; }
            catch (HttpRequestException) { return null; }
            catch (TaskCanceledException) { return null; }
        }, TimeSpan.FromSeconds(seconds), $"{path} from the appliance");

    public void Signal(Signum signal) => Syscall.kill(Process.Id, signal);

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Signal(Signum.SIGTERM);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await Process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { Process.Kill(entireProcessTree: true); await Process.WaitForExitAsync(); }
        }
        Process.Dispose();
    }
}
