using System.Text;
using System.Text.RegularExpressions;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Go2rtc;

/// <summary>The person's go2rtc.yaml: whatever is in it, Inspect answers (never throws) and locates the fault.</summary>
public partial class PersonConfigTests
{
    private const string Path = "/etc/lightnvr/go2rtc/go2rtc.yaml";

    [GeneratedRegex(@"\A/etc/lightnvr/go2rtc/go2rtc\.yaml:(\d+):(\d+): \S.*\z", RegexOptions.Singleline)]
    private static partial Regex Located();

    [Test]
    [Arguments("log:\n  level: [debug\nwebrtc: {\n")]
    [Arguments("log:\n  level: [debug\n\nwebrtc: {\n  candidates: [a\n")]
    [Arguments("webrtc: {\n")]
    [Arguments("a: [b, {c: [d, {e: \n")]
    [Arguments("{[{[{[\n")]
    [Arguments("api:\n  listen: :1984\napi:\n  listen: :1985\n")]
    [Arguments("key: \"unclosed\n")]
    [Arguments("- a\nb: c\n")]
    [Arguments("\t- tab\n")]
    [Arguments("a: &x [1]\nb: *y\n")]
    public async Task A_file_that_does_not_parse_is_refused_with_its_line_and_column(string text)
    {
        var check = PersonConfig.InspectText(text, Path);
        await Assert.That(check.Exists).IsTrue();
        await Assert.That(check.Error).IsNotNull();
        await Assert.That(Located().IsMatch(check.Error!)).IsTrue().Because(check.Error!);
    }

    [Test]
    public async Task Nesting_deeper_than_the_limit_is_refused_before_the_tree_is_built()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000) + "\n";
        var check = PersonConfig.InspectText(deep, Path);
        await Assert.That(check.Error!).Contains($"nested deeper than {PersonConfig.MaxDepth} levels");
        await Assert.That(check.Error!).StartsWith($"{Path}:1:{PersonConfig.MaxDepth + 1}:");
        var fine = new string('[', 20) + new string(']', 20) + "\n";
        await Assert.That(PersonConfig.InspectText("a: " + fine, Path).Error).IsNull();
    }

    [Test]
    public async Task A_file_over_the_size_limit_is_not_read()
    {
        using var dir = new TempDir();
        var big = dir.Write("go2rtc.yaml", "# " + new string('x', PersonConfig.MaxBytes) + "\n");
        await Assert.That(PersonConfig.Inspect(big).Error!).Contains("at most");
    }

    private static readonly string[] Seeds =
    [
        PersonConfig.Example,
        "webrtc:\n  ice_servers:\n    - urls: [stun:stun.l.google.com:19302]\n    - urls: [\"turn:turn.example.com:3478\"]\n      username: user\n      credential: pass\nlog:\n  level: debug  # more\n",
        "api:\n  base_path: /rtc\n  origin: '*'\nstreams:\n  door:\n    - rtsp://user:pass@10.0.0.5:554/s1#backchannel=0\n    - \"ffmpeg:door#audio=opus\"\nlog: {level: info, api: trace}\n",
        "rtsp:\n  listen: \":8554\"\n  default_query: video&audio\npreload:\n  door: video\nwebrtc:\n  candidates:\n    - 192.168.1.10:8555\n    - stun:8555\n  filters: {candidates: [], loopback: false, udp_ports: [50000, 50100]}\n",
    ];

    private const string Significant = "[]{}:,-?|>&*!%@#'\"\t\n \\`~";

    /// <summary>Random truncations and mutations of valid files: a few thousand cases, seeded so a failure repeats.</summary>
    [Test]
    public async Task Fuzzed_files_never_make_inspect_throw_and_every_refusal_is_located()
    {
        var random = new Random(20261206);
        int refused = 0, cases = 4000;
        for (var i = 0; i < cases; i++)
        {
            var text = Mutate(Seeds[random.Next(Seeds.Length)], random);
            PersonConfig.Check check;
            try { check = PersonConfig.InspectText(text, Path); }
            catch (Exception e) { throw new Exception($"case {i} threw {e.GetType().Name} for:\n{text}", e); }
            if (check.Error is null) continue;
            refused++;
            if (!Located().IsMatch(check.Error)) throw new Exception($"case {i}: not located: {check.Error}\nfor:\n{text}");
        }
        await Assert.That(refused).IsGreaterThan(cases / 10); // the mutations really do break files
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            var at = random.Next(text.Length);
            switch (random.Next(6))
            {
                case 0: text.Length = at; break; // truncated, as a full disk or a cut copy leaves it
                case 1: text.Insert(at, Significant[random.Next(Significant.Length)]); break;
                case 2: text.Remove(at, 1); break;
                case 3: text.Insert(at, seed.AsSpan(random.Next(seed.Length / 2), random.Next(1, 20))); break;
                case 4: text.Insert(at, (char)random.Next(0, 0x80)); break;
                default: text.Insert(at, random.Next(2) == 0 ? "\uFEFF" : "\uD800"); break; // a BOM mid-file, a lone surrogate
            }
        }
        return text.ToString();
    }
}
