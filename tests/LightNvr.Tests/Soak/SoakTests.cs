using System.Diagnostics;
using System.Text.Json;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Soak;

/// <summary>
/// CI's soak: bench/soak.py for 3 minutes on the published binary (`make test` publishes it first) with a fixed
/// seed (82: a SIGHUP with a changed streams.yaml, API 500s, a camera removed and re-added, kill -9, SIGSTOP); zero violations. The soak's own deadlines are generous (10 s for streams
/// to match after a recovery, 60 s to recover) so a loaded 2-core machine does not fail it.
/// </summary>
public class SoakTests
{
    [Test]
    public async Task Three_minutes_of_faults_break_no_invariant()
    {
        Go2rtcBinary.RequireStandIn();
        var app = Repo.PathOf("build", "publish", "linux-x64", "lightnvr");
        if (!File.Exists(app)) Skip.Test($"{app} not published: run `make publish-x64` (make test does)");
        Go2rtcBinary.Announce();
        using var dir = new TempDir();
        var summaryPath = dir.File("summary.json");
        var psi = new ProcessStartInfo("python3", ["-u", Repo.PathOf("bench", "soak.py"), "--minutes", "3", "--seed", "82", "--summary", summaryPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw new TimeoutException("the soak did not end within 9 minutes:\n" + await stdout); }
        var output = await stdout + await stderr;
        Console.WriteLine(output);

        await Assert.That(File.Exists(summaryPath)).IsTrue().Because(output);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath));
        var violations = summary.RootElement.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("what").GetString()).ToList();
        await Assert.That(violations).IsEmpty().Because(output);
        var faults = summary.RootElement.GetProperty("faults").EnumerateObject().Sum(f => f.Value.GetInt32());
        await Assert.That(faults).IsGreaterThanOrEqualTo(3).Because("a fault every 20-40 s for 3 minutes");
        await Assert.That(p.ExitCode).IsEqualTo(0).Because(output);
    }
}
