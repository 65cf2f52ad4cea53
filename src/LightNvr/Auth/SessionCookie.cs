using System.Security.Cryptography;
using LightNvr.Storage;

namespace LightNvr.Auth;

/// <summary>
/// The session cookie on the wire (HttpOnly, SameSite=Strict) and its key in
/// <c>{state_dir}/session-key</c> (32 random bytes, 0600, written atomically), kept across restarts
/// so sessions survive them.
/// </summary>
public sealed class SessionCookie(string stateDir, PasswordStore store, TimeProvider clock)
{
    public const string Name = "lightnvr_session";
    public const string KeyFileName = "session-key";
    private readonly Lazy<byte[]> _key = new(() => LoadOrCreateKey(Path.Combine(stateDir, KeyFileName)));

    public string KeyPath => Path.Combine(stateDir, KeyFileName);

    public void Issue(HttpContext http) => http.Response.Cookies.Append(Name,
        SessionToken.Issue(_key.Value, clock.GetUtcNow(), store.Fingerprint), Options(http, clock.GetUtcNow() + SessionToken.Lifetime));

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, null));

    /// <summary>True for a valid session; renews the cookie (sliding expiry) when it is half used.</summary>
    public bool Validate(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(Name, out var token)) return false;
        var verdict = SessionToken.Check(token, _key.Value, clock.GetUtcNow(), store.Fingerprint);
        if (verdict == SessionToken.Verdict.ValidRenew) Issue(http);
        return verdict != SessionToken.Verdict.Invalid;
    }

    public static bool HasCookie(HttpRequest request) => request.Cookies.ContainsKey(Name);

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true,
        Secure = http.Request.IsHttps, // the LAN endpoint is plain HTTP; behind TLS the cookie is Secure
        Expires = expires,
    };

    private static byte[] LoadOrCreateKey(string path)
    {
        try
        {
            var existing = File.ReadAllBytes(path);
            if (existing.Length == 32) return existing;
        }
        catch (FileNotFoundException) { }
        catch (DirectoryNotFoundException) { }
        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, key, AtomicFile.Private);
        return key;
    }
}
