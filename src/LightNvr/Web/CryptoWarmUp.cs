using System.Security.Cryptography;

namespace LightNvr.Web;

/// <summary>
/// The first status page needs OpenSSL (the session cookie's HMAC, the password fingerprint, the policy's
/// hashes). Loading libssl and libcrypto and reading openssl.cnf is one of the longest single steps of a start,
/// and nothing else before the first request needs it: so it runs on its own thread while the host is built.
/// </summary>
public static class CryptoWarmUp
{
    public static void Start()
    {
        var thread = new Thread(static () =>
        {
            try
            {
                HMACSHA256.HashData(new byte[32], "warm"u8);
                _ = SecurityHeaders.Default;
            }
            catch (Exception)
            {
                // A missing or broken libssl shows up, with its message, where the appliance first needs it.
            }
        }) { IsBackground = true, Name = "crypto warm-up" };
        thread.Start();
    }
}
