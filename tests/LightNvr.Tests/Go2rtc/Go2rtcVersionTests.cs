using LightNvr.Go2rtc;

namespace LightNvr.Tests.Go2rtc;

public class Go2rtcVersionTests
{
    [Test]
    public async Task Parses_the_version_line_with_revision_and_platform()
    {
        var v = Go2rtcVersion.Parse("go2rtc version 1.9.14 (b5948cf) linux/arm64\n")!;
        await Assert.That((v.Major, v.Minor, v.Patch)).IsEqualTo((1, 9, 14));
        await Assert.That(v.Revision).IsEqualTo("b5948cf");
        await Assert.That(v.Platform).IsEqualTo("linux/arm64");
    }

    [Test]
    [Arguments("1.9.14+dev.b5948cf", 14)]
    [Arguments("1.9.4", 4)]
    [Arguments("go2rtc version 1.9.14+dev.b5948cf.dirty (b5948cf) linux/amd64", 14)]
    public async Task Parses_api_and_development_versions(string text, int patch)
    {
        await Assert.That(Go2rtcVersion.Parse(text)!.Patch).IsEqualTo(patch);
    }

    [Test]
    [Arguments("")]
    [Arguments("go2rtc version test")]
    [Arguments("Usage of go2rtc:")]
    public async Task Rejects_what_is_not_a_version(string text)
    {
        await Assert.That(Go2rtcVersion.Parse(text)).IsNull();
    }

    [Test]
    public async Task Orders_versions_and_gates_features()
    {
        var v = Go2rtcVersion.Parse("1.9.11")!;
        await Assert.That(v.AtLeast(1, 9, 11)).IsTrue();
        await Assert.That(v.AtLeast(1, 9, 12)).IsFalse();
        await Assert.That(Go2rtcVersion.Parse("1.8.5")!.CompareTo(Go2rtcVersion.Minimum)).IsLessThan(0);
        await Assert.That(Go2rtcVersion.Parse("1.10.0")!.CompareTo(Go2rtcVersion.Minimum)).IsGreaterThan(0);
    }
}
