using LightNvr.Go2rtc;
using LightNvr.Tests.Support;
using LightNvr.Tests.Toolchain;

namespace LightNvr.Tests.Go2rtc;

/// <summary>
/// The appliance tells our go2rtc stand-in from go2rtc by what the binary itself says on --version, and
/// the status page says "demo: go2rtc stand-in" whenever it runs one (make demo, test images).
/// </summary>
public class StandInRecognitionTests
{
    [Test]
    [Arguments("go2rtc version 1.9.14 (b5948cf) linux/arm64\n", false)]
    [Arguments("go2rtc version 1.9.14 (b5948cf) linux/amd64\nLightNVR go2rtc stand-in: for tests and the demo, not go2rtc\n", true)]
    [Arguments("go2rtc version 1.9.14 (b5948cf) linux/amd64 stand-in\n", false)]
    public async Task Only_the_stand_ins_own_line_marks_a_binary_as_the_stand_in(string output, bool standIn)
    {
        var v = Go2rtcVersion.Parse(output)!;
        await Assert.That(v.StandIn).IsEqualTo(standIn);
        await Assert.That(v.Text).IsEqualTo("1.9.14");
    }

    [Test]
    public async Task The_stand_in_binary_says_what_it_is_on_version()
    {
        if (!File.Exists(Go2rtcBinary.StandIn)) Skip.Test($"{Go2rtcBinary.StandIn} not built: run `make standin`");
        var (code, output, _) = await Programs.Run(Go2rtcBinary.StandIn, ["--version"]);
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(output).StartsWith("go2rtc version 1.9.14 (b5948cf) linux/");
        await Assert.That(Go2rtcVersion.Parse(output)!.StandIn).IsTrue();
    }

    [Test]
    public async Task The_status_page_and_health_say_so_exactly_when_the_stand_in_runs()
    {
        await using var app = await new AppHarness().WithPassword("stand-in-page-1").Start();
        await app.WaitReady();
        using var http = app.AuthedHttp();
        var page = await http.GetStringAsync("/");
        // The snapshot is the health loop's: it shows go2rtc once a tick has seen it ready.
        var health = await Wait.Until(async () => await http.GetStringAsync("/api/health") is var h && h.Contains("\"phase\":\"Ready\"") ? h : null,
            TimeSpan.FromSeconds(15), "a health tick that saw go2rtc ready");
        if (Go2rtcBinary.IsStandIn)
        {
            await Assert.That(page).Contains("<span class=\"standin\" id=\"standin\">demo: go2rtc stand-in</span>");
            await Assert.That(health).Contains("\"stand_in\":true");
        }
        else
        {
            await Assert.That(page).Contains("<span class=\"standin\" id=\"standin\" hidden>");
            await Assert.That(health).Contains("\"stand_in\":false");
        }
    }
}
