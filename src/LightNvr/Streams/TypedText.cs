using System.Globalization;

namespace LightNvr.Streams;

/// <summary>Checks and quoting for text a person typed, shared by the camera and URL rules. Pure.</summary>
internal static class TypedText
{
    /// <summary>Why a free-text field is refused (too long, control characters, invisible characters), or null.</summary>
    public static string? Problem(string value, int max, bool invisibleToo)
    {
        if (value.Length > max) return $"is {value.Length} characters long, the limit is {max}";
        if (value.Any(char.IsControl)) return "contains a control character";
        if (invisibleToo && Invisible(value)) return "contains an invisible Unicode character (zero-width, direction control or similar)";
        return null;
    }

    /// <summary>
    /// Unicode format characters (zero-width space and joiners, bidi embeddings and isolates, BOM, tag
    /// characters) and unpaired surrogates: text that looks like something else than it is.
    /// </summary>
    public static bool Invisible(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogate(value[i]) && !char.IsSurrogatePair(value, i) && !(i > 0 && char.IsSurrogatePair(value, i - 1))) return true;
            if (CharUnicodeInfo.GetUnicodeCategory(value, i) is UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator) return true;
        }
        return false;
    }

    /// <summary>A user-typed value quoted in a message: short, and never a URL with its userinfo.</summary>
    public static string Shown(string value)
    {
        var redacted = Logging.Redactor.Redact(value);
        return redacted.Length <= 40 ? redacted : redacted[..40] + "…";
    }
}
