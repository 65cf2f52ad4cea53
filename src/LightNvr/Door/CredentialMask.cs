using System.Text;
using LightNvr.Limits;
using LightNvr.Logging;

namespace LightNvr.Door;

/// <summary>
/// go2rtc answers with the cameras' sources as it holds them, user and password included (its stream list,
/// its config, its log). No page of the appliance shows a credential, so every text answer that comes back
/// through the door is masked the way the appliance's own log is; media and binary answers pass untouched.
/// </summary>
internal static class CredentialMask
{
    /// <summary>go2rtc's log ring is about 1 MiB; its stream list and config are far smaller.</summary>
    public const int MaxTextBytes = 4 * 1024 * 1024;

    /// <summary>Whether an answer of this media type is text that may carry a source URL.</summary>
    public static bool Applies(string? mediaType) => mediaType is not null &&
        (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
         || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)
         || mediaType.Contains("yaml", StringComparison.OrdinalIgnoreCase)
         || mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase));

    /// <summary>The answer's text with every credential masked, or null when it is larger than <see cref="MaxTextBytes"/>.</summary>
    public static async Task<string?> ReadMasked(HttpContent content, CancellationToken cancel)
    {
        await using var body = await content.ReadAsStreamAsync(cancel);
        var text = await BoundedRead.ReadAsync(body, MaxTextBytes, cancel);
        if (text is null) return null;
        return Redactor.Redact(Encoding.UTF8.GetString(text));
    }
}
