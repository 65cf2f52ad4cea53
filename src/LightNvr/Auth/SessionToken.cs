using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LightNvr.Auth;

/// <summary>
/// The session cookie's value: expiry and the password fingerprint, MAC'd with HMAC-SHA256 under the
/// appliance's session key. Pure functions: the key and the time are arguments.
/// </summary>
/// <remarks>
/// ASP.NET Core's cookie handler was the first choice, but it needs DataProtection, whose XML key ring
/// added 3.9 MB to the Native AOT binary (arm64 over the 15 MB guard). The token carries nothing
/// secret, so signing suffices; the primitives (HMAC, constant-time compare) are the BCL's. Like the
/// stock handler's cookie, a copied token stays valid until it expires or the password changes.
/// </remarks>
public static class SessionToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private const byte Version = 1;

    public static string Issue(byte[] key, DateTimeOffset now, string fingerprint)
    {
        var fp = Encoding.ASCII.GetBytes(fingerprint);
        var body = new byte[1 + 8 + fp.Length];
        body[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(1), (now + Lifetime).ToUnixTimeSeconds());
        fp.CopyTo(body, 9);
        return Base64Url(body) + "." + Base64Url(HMACSHA256.HashData(key, body));
    }

    public enum Verdict { Invalid, Valid, ValidRenew }

    /// <summary>Valid when untampered, unexpired and issued under the current password; renew once half its life is gone (sliding expiry).</summary>
    public static Verdict Check(string? token, byte[] key, DateTimeOffset now, string fingerprint)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512) return Verdict.Invalid;
        var dot = token.IndexOf('.');
        if (dot < 0 || !TryBase64Url(token[..dot], out var body) || !TryBase64Url(token[(dot + 1)..], out var mac)) return Verdict.Invalid;
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, body), mac)) return Verdict.Invalid;
        if (body.Length < 9 || body[0] != Version) return Verdict.Invalid;
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(body.AsSpan(1)));
        if (expires <= now || Encoding.ASCII.GetString(body, 9, body.Length - 9) != fingerprint) return Verdict.Invalid;
        return expires - now < Lifetime / 2 ? Verdict.ValidRenew : Verdict.Valid;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        var b64 = text.Replace('-', '+').Replace('_', '/');
        b64 += new string('=', (4 - b64.Length % 4) % 4);
        // Canonical form only: otherwise unused low bits of the last character would give several spellings of one token.
        try { bytes = Convert.FromBase64String(b64); return Base64Url(bytes) == text; }
        catch (FormatException) { bytes = []; return false; }
    }
}
