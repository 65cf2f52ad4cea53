using LightNvr.Config;
using LightNvr.Posix;
using Mono.Unix.Native;

namespace LightNvr.Go2rtc;

/// <summary>Why go2rtc cannot be started, each with a message a person can act on.</summary>
public enum BinaryProblem { None, Missing, NotExecutable, WrongArchitecture, VersionFailed, VersionTooOld }

public sealed record LocatedBinary(string Path, Go2rtcVersion? Version, BinaryProblem Problem, string Message)
{
    public bool Usable => Problem == BinaryProblem.None;
}

/// <summary>
/// Finds go2rtc (config, then the build default, then PATH), checks it can run on this board before
/// exec (ELF machine), and asks it for its version with a deadline.
/// </summary>
public static class BinaryLocator
{
    public static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(2);
    public const string SearchPath = "/usr/local/bin:/usr/bin:/bin";

    public static async Task<LocatedBinary> LocateAsync(string configured, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancel)
    {
        var path = Resolve(configured);
        if (path is null)
        {
            var looked = string.Join(", ", new[] { configured, BuildOptions.Go2rtcBinaryPath }.Where(c => c.Length > 0).Distinct());
            return new LocatedBinary(configured, null, BinaryProblem.Missing,
                $"go2rtc not found at {looked}, nor in {SearchPath}; install it with toolchain/install-go2rtc.sh");
        }
        if (Syscall.access(path, AccessModes.X_OK) != 0 || Directory.Exists(path))
            return new LocatedBinary(path, null, BinaryProblem.NotExecutable, $"go2rtc at {path} is not executable (chmod +x {path})");
        var info = ElfMachine.Inspect(path);
        if (!info.RunsHere)
            return new LocatedBinary(path, null, BinaryProblem.WrongArchitecture, "go2rtc at " + info.DescribeAgainstThisMachine(path));

        var (output, status) = await RunVersionAsync(path, workingDirectory, environment, cancel);
        if (status is null)
            return new LocatedBinary(path, null, BinaryProblem.VersionFailed,
                $"go2rtc at {path} did not answer --version within {VersionTimeout.TotalSeconds:0} s");
        var version = Go2rtcVersion.Parse(output);
        if (status.Code != 0 || version is null)
            return new LocatedBinary(path, null, BinaryProblem.VersionFailed,
                $"go2rtc at {path} --version failed ({status}): {Logging.Redactor.Redact(Shorten(output))}");
        if (version.CompareTo(Go2rtcVersion.Minimum) < 0)
            return new LocatedBinary(path, version, BinaryProblem.VersionTooOld,
                $"go2rtc at {path} is version {version}; this appliance needs {Go2rtcVersion.Minimum} or newer");
        return new LocatedBinary(path, version, BinaryProblem.None, $"go2rtc {version} at {path}");
    }

    /// <summary>The first candidate that exists: the configured path (or bare name in PATH), the build default, PATH.</summary>
    public static string? Resolve(string configured)
    {
        foreach (var candidate in new[] { configured, BuildOptions.Go2rtcBinaryPath, "go2rtc" })
        {
            if (string.IsNullOrWhiteSpace(candidate)) continue;
            if (candidate.Contains('/'))
            {
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
                continue;
            }
            foreach (var dir in SearchPath.Split(':'))
            {
                var full = System.IO.Path.Combine(dir, candidate);
                if (File.Exists(full)) return full;
            }
        }
        return null;
    }

    /// <summary>Runs <c>go2rtc --version</c>; a null status means it hung and was killed.</summary>
    private static async Task<(string Output, ExitStatus? Status)> RunVersionAsync(string path, string cwd,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancel)
    {
        var output = new System.Text.StringBuilder();
        using var child = SpawnedProcess.Spawn(new SpawnRequest
        {
            ExecutablePath = path, Argv0 = "go2rtc", Arguments = ["--version"], WorkingDirectory = cwd,
            Environment = environment,
            OnOutputLine = (line, _) => { lock (output) if (output.Length < 4096) output.AppendLine(line); },
        });
        var finished = await Task.WhenAny(child.Exited, Task.Delay(VersionTimeout, cancel));
        if (finished != child.Exited)
        {
            child.Signal(9);
            await child.Exited;
            return ("", null);
        }
        await Task.WhenAny(child.OutputCompleted, Task.Delay(500, cancel));
        lock (output) return (output.ToString(), child.Exited.Result);
    }

    private static string Shorten(string text)
    {
        var t = text.Trim().ReplaceLineEndings(" ");
        return t.Length > 200 ? t[..200] + "…" : t.Length == 0 ? "(no output)" : t;
    }
}
