using System.Text.RegularExpressions;

namespace LightNvr.Logging;

/// <summary>
/// Removes credentials from any text before it is logged or shown: URL userinfo
/// (<c>rtsp://user:secret@host</c> → <c>rtsp://***@host</c>), and secret-named values in queries,
/// YAML and JSON (<c>password=…</c>, <c>credential: …</c>, <c>"token":"…"</c>).
/// </summary>
public static partial class Redactor
{
    public const string Mask = "***";

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = UserInfo().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        result = EncodedUserInfo().Replace(result, m => m.Groups["scheme"].Value + Mask + m.Groups["at"].Value);
        result = QueryOrYamlSecret().Replace(result, m => m.Groups["key"].Value + m.Groups["sep"].Value + Mask);
        return JsonSecret().Replace(result, m => m.Groups["key"].Value + "\"" + Mask + "\"");
    }

    // Greedy up to the last '@' before the host, so an unencoded '@' in a password is still covered.
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?<userinfo>[^/\s@""']*(?:@[^/\s@""']*)*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    // The same inside a query value, percent-encoded once or more (src=rtsp%3A%2F%2Fu%3Ap%40host).
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*%(?:25)*3[aA](?:%(?:25)*2[fF]){2})(?<userinfo>(?:(?!%(?:25)*2[fF])[^\s&/""'])*)(?<at>%(?:25)*40)",
        RegexOptions.CultureInvariant)]
    private static partial Regex EncodedUserInfo();

    [GeneratedRegex(@"(?<key>\b(?:password|passwd|pwd|pass|credential|credentials|secret|token|api_key|apikey|auth)\b)(?<sep>\s*[=:]\s*)(?!\s*"")(?<value>[^\s&#,;""'}]+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryOrYamlSecret();

    [GeneratedRegex(@"(?<key>""(?:password|passwd|pwd|pass|credential|credentials|secret|token|api_key|apikey|auth)""\s*:\s*)""(?:[^""\\]|\\.)*""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonSecret();
}
