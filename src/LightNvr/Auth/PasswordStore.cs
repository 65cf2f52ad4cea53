using System.Security.Cryptography;
using System.Text;
using LightNvr.Storage;

namespace LightNvr.Auth;

/// <summary>
/// The one admin password: <c>{state_dir}/admin-password</c>, a PBKDF2 line, mode 0600. Every way of
/// setting it (onboarding page, <c>lightnvr passwd</c>, boot-partition file, the UART console) goes
/// through <see cref="Set"/>. The file is re-read when it changes on disk, so a password set by
/// <c>lightnvr passwd</c> takes effect in the running appliance at once.
/// </summary>
public sealed class PasswordStore
{
    public const string FileName = "admin-password";
    public const string UserName = "admin";

    private readonly object _gate = new();
    // Remembers the last password that verified (as a keyed hash with a per-process key), so a
    // Prometheus scrape or an API client sending Basic on every call does not cost 600 000 rounds each time.
    // Made at the first check, not here: the store is built with the host, and OpenSSL loads meanwhile on another thread.
    private readonly Lazy<byte[]> _memoKey = new(() => RandomNumberGenerator.GetBytes(32));
    private (long MtimeTicks, long Size) _stamp = (-1, -1);
    private string? _line;
    private byte[]? _verifiedMemo;
    private long _hashChecks;

    /// <summary>PBKDF2 checks run so far (the expensive part a login limit must bound).</summary>
    public long HashChecks => Interlocked.Read(ref _hashChecks);

    public PasswordStore(string stateDir) => Path = System.IO.Path.Combine(stateDir, FileName);

    public string Path { get; }

    /// <summary>False during the onboarding window: no password was ever set.</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>Changes whenever the stored password changes: sessions issued under another one end.</summary>
    public string Fingerprint
    {
        get
        {
            var line = Current();
            return line is null ? "" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(line)), 0, 8);
        }
    }

    /// <summary>Hashes and stores <paramref name="password"/>; returns the reason it was refused, or null.</summary>
    public string? Set(string password) => SetCore(password, onlyIfNone: false);

    /// <summary>As <see cref="Set"/>, but refuses when a password exists (the onboarding page: first one wins).</summary>
    public string? SetInitial(string password) => SetCore(password, onlyIfNone: true);

    private string? SetCore(string password, bool onlyIfNone)
    {
        if (PasswordRules.Problem(password) is { } problem) return problem;
        var line = PasswordHash.Hash(password);
        lock (_gate)
        {
            if (onlyIfNone && Exists) return "a password is already set";
            var dir = System.IO.Path.GetDirectoryName(Path)!;
            if (!Directory.Exists(dir)) Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            AtomicFile.WriteAllText(Path, line + "\n", AtomicFile.Private);
        }
        return null;
    }

    /// <summary>True when <paramref name="password"/> is the one that verified last (no hash run).</summary>
    public bool Remembered(string? password)
    {
        if (string.IsNullOrEmpty(password)) return false;
        var line = Current();
        if (line is null) return false;
        var known = Volatile.Read(ref _verifiedMemo);
        return known is not null && CryptographicOperations.FixedTimeEquals(Memo(line, password), known);
    }

    private byte[] Memo(string line, string password) => HMACSHA256.HashData(_memoKey.Value, Encoding.UTF8.GetBytes(line + "\n" + password));

    public bool Verify(string? password)
    {
        if (string.IsNullOrEmpty(password)) return false;
        var line = Current();
        if (line is null) return false;
        var memo = Memo(line, password);
        var known = Volatile.Read(ref _verifiedMemo);
        if (known is not null && CryptographicOperations.FixedTimeEquals(memo, known)) return true;
        Interlocked.Increment(ref _hashChecks);
        if (!PasswordHash.Verify(password, line)) return false;
        Volatile.Write(ref _verifiedMemo, memo);
        return true;
    }

    /// <summary>The stored line, re-read only when the file's mtime or size changed (a new one is renamed over it).</summary>
    private string? Current()
    {
        var info = new FileInfo(Path);
        if (!info.Exists) return null;
        var stamp = (info.LastWriteTimeUtc.Ticks, info.Length);
        lock (_gate)
        {
            if (stamp == _stamp) return _line;
            try
            {
                _line = File.ReadAllText(Path).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
            _stamp = stamp;
            _verifiedMemo = null;
            return _line;
        }
    }
}
