using System.Diagnostics;
using System.Text;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Toolchain;

/// <summary>Runs real programs (the published binary, scripts, make) and collects what they print.</summary>
internal static class Programs
{
    public static string PublishX64 => Repo.PathOf("build", "publish", "linux-x64");

    /// <summary>Skips the test when `make publish-x64` has not run (make test runs it first).</summary>
    public static void RequirePublishedX64()
    {
        if (!File.Exists(Path.Combine(PublishX64, "lightnvr"))) Skip.Test($"{PublishX64}/lightnvr not published: run `make publish-x64` (make test does)");
    }

    public static ProcessStartInfo Info(string file, IEnumerable<string> args, string? cwd = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = cwd ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    public static async Task<(int Code, string Out, string Err)> Run(string file, IEnumerable<string> args, string? cwd = null,
        string? stdin = null, IDictionary<string, string>? env = null, double seconds = 120)
    {
        using var p = Process.Start(Info(file, args, cwd, env))!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end within {seconds} s:\n{await output}{await error}");
        }
        return (p.ExitCode, await output, await error);
    }

    /// <summary>A long-running program whose output is collected as it comes.</summary>
    public sealed class Running : IAsyncDisposable
    {
        private readonly StringBuilder _output = new();
        public Process Process { get; }
        public string Output { get { lock (_output) return _output.ToString(); } }

        public Running(ProcessStartInfo info)
        {
            Process = Process.Start(info)!;
            Process.StandardInput.Close();
            Process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        /// <summary>SIGTERM to <paramref name="target"/> (a negative number: a process group), then the process's end within a deadline.</summary>
        public async Task<int> Stop(int? target = null, double seconds = 30)
        {
            if (!Process.HasExited) Mono.Unix.Native.Syscall.kill(target ?? Process.Id, Mono.Unix.Native.Signum.SIGTERM);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            try { await Process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { Process.Kill(entireProcessTree: true); throw new TimeoutException($"did not stop within {seconds} s:\n{Output}"); }
            return Process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                try { await Stop(); } catch (TimeoutException) { }
            }
            Process.Dispose();
        }
    }
}
