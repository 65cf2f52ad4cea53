namespace LightNvr.Auth;

/// <summary>What a new admin password must be. One place, so the page, the CLI and the boot file agree.</summary>
public static class PasswordRules
{
    public const int MinLength = 8;
    public const int MaxLength = 256;

    /// <summary>Null when acceptable, else the reason in words (never containing the password).</summary>
    public static string? Problem(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "the password is empty";
        if (password.Length < MinLength) return $"the password is shorter than {MinLength} characters";
        if (password.Length > MaxLength) return $"the password is longer than {MaxLength} characters";
        if (string.IsNullOrWhiteSpace(password)) return "the password is only spaces";
        if (password.Any(char.IsControl)) return "the password contains a control character (a line break or tab?)";
        return null;
    }
}
