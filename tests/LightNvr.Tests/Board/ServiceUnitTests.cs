using System.Diagnostics;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Board;

/// <summary>board/lightnvr.service: systemd's own checker accepts it, and it carries the hardening and the watchdog.</summary>
public class ServiceUnitTests
{
    private static string Unit => File.ReadAllText(Path.Combine(Repo.Root, "board", "lightnvr.service"));

    [Test]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        using var dir = new TempDir();
        // verify wants ExecStart's binary to exist: the same unit pointed at a stand-in executable.
        var binary = dir.File("lightnvr");
        File.Copy("/bin/true", binary);
        var unit = dir.Write("lightnvr.service", Unit.Replace("ExecStart=/opt/lightnvr/lightnvr ", $"ExecStart={binary} "));
        await Assert.That(File.ReadAllText(unit)).Contains($"ExecStart={binary} --config");
        var psi = new ProcessStartInfo("systemd-analyze", ["verify", "--man=no", unit]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await Assert.That(p.ExitCode).IsEqualTo(0).Because(output);
        await Assert.That(output).DoesNotContain("lightnvr.service").Because(output);
    }

    [Test]
    [Arguments("ExecStart=/opt/lightnvr/lightnvr --config /etc/lightnvr/lightnvr.yaml")]
    [Arguments("Type=notify")]
    [Arguments("User=lightnvr")]
    [Arguments("SupplementaryGroups=gpio dialout")]
    [Arguments("KillMode=control-group")]
    [Arguments("WatchdogSec=30")]
    [Arguments("ProtectSystem=strict")]
    [Arguments("ReadWritePaths=/var/lib/lightnvr /etc/lightnvr -/boot/firmware")]
    [Arguments("RestartPreventExitStatus=78")]
    [Arguments("Restart=always")]
    public async Task The_unit_has(string line)
    {
        await Assert.That(Unit.Split('\n').Select(l => l.Trim())).Contains(line);
    }
}
