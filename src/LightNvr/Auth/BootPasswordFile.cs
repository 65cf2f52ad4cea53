namespace LightNvr.Auth;

/// <summary>
/// <c>lightnvr-password.txt</c> on the boot partition (the Raspberry Pi <c>userconf.txt</c>
/// convention): a person writes a password into it on their computer; at start it is hashed into the
/// state directory and the plain-text file is deleted. It also resets a forgotten password.
/// </summary>
/// <remarks>
/// A file whose password breaks the rules (empty, too short) is NOT applied and NOT deleted: deleting
/// it would leave the person with no password and no idea why, while keeping it lets them fix it on
/// the card. It never became a credential, so keeping it exposes nothing. The reason is logged and
/// shown on the onboarding page.
/// </remarks>
public static class BootPasswordFile
{
    public const string DefaultPath = "/boot/firmware/lightnvr-password.txt";

    public enum Outcome { Absent, Applied, AppliedNotDeleted, Refused, Unreadable }

    /// <param name="problem">The reason when not applied (or the deletion error); never the password.</param>
    public static Outcome Consume(string path, PasswordStore store, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(path) || !File.Exists(path)) return Outcome.Absent;
        string password;
        try
        {
            password = FirstLine(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path} cannot be read: {e.Message}";
            return Outcome.Unreadable;
        }
        if (store.Set(password) is { } refused)
        {
            problem = $"{path} was not used: {refused}; fix it (at least {PasswordRules.MinLength} characters on the first line) or remove it";
            return Outcome.Refused;
        }
        try
        {
            File.Delete(path);
            return Outcome.Applied;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Applied, but it will be applied again at every start until someone removes it.
            problem = $"{path} was applied but cannot be deleted ({e.Message}); remove it by hand";
            return Outcome.AppliedNotDeleted;
        }
    }

    /// <summary>The first line, without a byte-order mark or line ending (files edited on Windows).</summary>
    public static string FirstLine(string text)
    {
        text = text.TrimStart('\uFEFF');
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
