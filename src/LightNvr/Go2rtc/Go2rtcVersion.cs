using System.Text.RegularExpressions;

namespace LightNvr.Go2rtc;

/// <summary>
/// go2rtc's version as <c>--version</c> prints it (<c>go2rtc version 1.9.14 (b5948cf) linux/arm64</c>)
/// or <c>/api</c> reports it (<c>1.9.14</c>, <c>1.9.14+dev.b5948cf</c>). Parsed leniently; later
/// features are gated on it.
/// </summary>
public sealed partial record Go2rtcVersion(int Major, int Minor, int Patch, string Text, string? Revision, string? Platform)
    : IComparable<Go2rtcVersion>
{
    public static readonly Go2rtcVersion Minimum = new(1, 9, 0, "1.9.0", null, null);

    /// <summary>What the test stand-in (tests/Go2rtcStandIn) adds to its --version output; a real go2rtc never prints it.</summary>
    public const string StandInMarker = "LightNVR go2rtc stand-in";

    /// <summary>The binary is our go2rtc stand-in (demo, tests, test images), not go2rtc: the status page says so.</summary>
    public bool StandIn { get; init; }

    public static Go2rtcVersion? Parse(string? output)
    {
        if (string.IsNullOrWhiteSpace(output)) return null;
        var m = VersionLine().Match(output);
        if (!m.Success) m = BareVersion().Match(output.Trim());
        if (!m.Success) return null;
        return new Go2rtcVersion(int.Parse(m.Groups["major"].Value), int.Parse(m.Groups["minor"].Value),
            int.Parse(m.Groups["patch"].Value), m.Groups["text"].Value,
            m.Groups["rev"].Success ? m.Groups["rev"].Value : null,
            m.Groups["platform"].Success ? m.Groups["platform"].Value : null)
        { StandIn = output.Contains(StandInMarker, StringComparison.Ordinal) };
    }

    public bool AtLeast(int major, int minor, int patch) => CompareTo(new Go2rtcVersion(major, minor, patch, "", null, null)) >= 0;

    public int CompareTo(Go2rtcVersion? other) => other is null ? 1
        : (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public override string ToString() => Text;

    [GeneratedRegex(@"go2rtc version (?<text>(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)\S*)(?: \((?<rev>[0-9a-f]+)\))?(?: (?<platform>\S+/\S+))?")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^v?(?<text>(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)\S*)$")]
    private static partial Regex BareVersion();
}
