using System.Security.Cryptography;
using System.Text;

namespace LightNvr.Auth;

/// <summary>
/// The admin password as stored: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash base64),
/// one line. Pure functions: no file, no clock.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int Iterations = 600_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password) => Hash(password, Iterations);

    /// <summary>Any count (tests show a lowered one is refused by <see cref="Verify"/>).</summary>
    internal static string Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/>; false for a malformed line.</summary>
    public static bool Verify(string password, string stored)
    {
        if (!TryParse(stored, out var iterations, out var salt, out var expected)) return false;
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        // Constant time: how much of the hash matched must not show in how long the answer took.
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static bool IsWellFormed(string stored) => TryParse(stored, out _, out _, out _);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0; salt = []; hash = [];
        var parts = stored.Trim().Split('$');
        if (parts is not [Scheme, var count, var saltText, var hashText]) return false;
        // A lower count than ours is refused: a tampered file must not make the hash cheap to attack.
        if (!int.TryParse(count, out iterations) || iterations < Iterations || iterations > 100_000_000) return false;
        try
        {
            salt = Convert.FromBase64String(saltText);
            hash = Convert.FromBase64String(hashText);
        }
        catch (FormatException) { return false; }
        return salt.Length >= SaltBytes && hash.Length == HashBytes;
    }
}
