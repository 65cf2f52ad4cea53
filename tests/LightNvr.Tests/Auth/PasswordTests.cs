using LightNvr.Auth;
using LightNvr.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Auth;

/// <summary>The stored hash, the rules, the store on disk and the failed-attempt limit (fake clock).</summary>
public class PasswordTests
{
    [Test]
    public async Task The_hash_line_is_pbkdf2_sha256_with_600000_rounds_a_16_byte_salt_and_verifies_only_the_right_password()
    {
        var line = PasswordHash.Hash("correct horse");
        var parts = line.Split('$');
        await Assert.That(parts.Length).IsEqualTo(4);
        await Assert.That(parts[0]).IsEqualTo("pbkdf2-sha256");
        await Assert.That(parts[1]).IsEqualTo("600000");
        await Assert.That(Convert.FromBase64String(parts[2]).Length).IsEqualTo(16);
        await Assert.That(Convert.FromBase64String(parts[3]).Length).IsEqualTo(32);
        await Assert.That(line).DoesNotContain("correct horse");
        await Assert.That(PasswordHash.Verify("correct horse", line)).IsTrue();
        await Assert.That(PasswordHash.Verify("correct hors", line)).IsFalse();
        await Assert.That(PasswordHash.Verify("Correct horse", line)).IsFalse();
        // A fresh salt each time: the same password never gives the same line.
        await Assert.That(PasswordHash.Hash("correct horse")).IsNotEqualTo(line);
    }

    [Test]
    public async Task A_tampered_or_malformed_line_verifies_nothing()
    {
        var cheap = PasswordHash.Hash("correct horse", 1000);
        await Assert.That(PasswordHash.Verify("correct horse", cheap)).IsFalse();
        foreach (var bad in new[] { "", "correct horse", "pbkdf2-sha256$600000$$", "md5$600000$AAAA$BBBB", "pbkdf2-sha256$x$AAAA$BBBB",
                     "pbkdf2-sha256$600000$not base64!$AAAA" })
            await Assert.That(PasswordHash.Verify("correct horse", bad)).IsFalse();
    }

    [Test]
    [Arguments("", "empty")]
    [Arguments("short", "shorter than 8")]
    [Arguments("        ", "only spaces")]
    [Arguments("two\nlines!", "control character")]
    public async Task A_bad_new_password_is_refused_with_the_reason(string password, string reason)
    {
        await Assert.That(PasswordRules.Problem(password)).Contains(reason);
        using var dir = new TempDir();
        var store = new PasswordStore(dir.Path);
        await Assert.That(store.Set(password)).Contains(reason);
        await Assert.That(store.Exists).IsFalse();
    }

    [Test]
    public async Task The_store_writes_one_line_mode_0600_and_sees_a_change_made_by_another_writer()
    {
        using var dir = new TempDir();
        var store = new PasswordStore(Path.Combine(dir.Path, "state"));
        await Assert.That(store.Exists).IsFalse();
        await Assert.That(store.Verify("anything-at-all")).IsFalse();
        await Assert.That(store.Set("first-password")).IsNull();
        await Assert.That(File.GetUnixFileMode(store.Path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await Assert.That(File.ReadAllText(store.Path)).StartsWith("pbkdf2-sha256$600000$");
        await Assert.That(store.Verify("first-password")).IsTrue();
        await Assert.That(store.Verify("first-password")).IsTrue(); // the remembered success
        var before = store.Fingerprint;

        // `lightnvr passwd` is another process with its own store: this one must notice.
        await Assert.That(new PasswordStore(Path.Combine(dir.Path, "state")).Set("second-password")).IsNull();
        await Assert.That(store.Verify("first-password")).IsFalse();
        await Assert.That(store.Verify("second-password")).IsTrue();
        await Assert.That(store.Fingerprint).IsNotEqualTo(before);
        await Assert.That(store.SetInitial("third-password")).IsEqualTo("a password is already set");
    }

    [Test]
    public async Task Five_failures_a_minute_per_client_then_wait_until_the_oldest_leaves_the_window()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var throttle = new LoginThrottle(clock);
        for (var i = 0; i < 5; i++)
        {
            await Assert.That(throttle.RetryAfter("10.0.0.1")).IsNull();
            throttle.Failed("10.0.0.1");
            clock.Advance(TimeSpan.FromSeconds(10));
        }
        // Failures at 0,10,20,30,40 s; now 50 s: blocked until the first one is a minute old.
        await Assert.That(throttle.RetryAfter("10.0.0.1")).IsEqualTo(TimeSpan.FromSeconds(10));
        await Assert.That(LoginThrottle.Seconds(throttle.RetryAfter("10.0.0.1")!.Value)).IsEqualTo("10");
        await Assert.That(throttle.RetryAfter("10.0.0.2")).IsNull();
        clock.Advance(TimeSpan.FromSeconds(10));
        await Assert.That(throttle.RetryAfter("10.0.0.1")).IsNull();
        throttle.Failed("10.0.0.1");
        await Assert.That(throttle.RetryAfter("10.0.0.1")).IsEqualTo(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task The_throttle_stays_bounded_when_many_addresses_fail()
    {
        var clock = new FakeTimeProvider();
        var throttle = new LoginThrottle(clock);
        for (var i = 0; i < LoginThrottle.MaxClients * 3; i++) throttle.Failed("client-" + i);
        // The newest are still counted.
        for (var i = 0; i < 4; i++) throttle.Failed("client-last");
        throttle.Failed("client-last");
        await Assert.That(throttle.RetryAfter("client-last")).IsNotNull();
    }

    [Test]
    [Arguments("/", "/")]
    [Arguments("/api/status?x=1", "/api/status?x=1")]
    [Arguments("//evil.example/", "/")]
    [Arguments("/\\evil.example", "/")]
    [Arguments("https://evil.example/", "/")]
    [Arguments("", "/")]
    public async Task The_return_address_after_sign_in_is_always_a_local_path(string given, string used) =>
        await Assert.That(AuthEndpoints.SafeReturn(given)).IsEqualTo(used);

    [Test]
    [Arguments("http://nvr.local:8080", null, "nvr.local:8080", true, true)]
    [Arguments(null, "http://nvr.local:8080/streams", "nvr.local:8080", true, true)]
    [Arguments("http://evil.example", null, "nvr.local:8080", true, false)]
    [Arguments("http://evil.example", null, "nvr.local:8080", false, false)]
    [Arguments("http://nvr.local:9999", null, "nvr.local:8080", true, false)]
    [Arguments("null", null, "nvr.local:8080", true, false)]
    [Arguments(null, null, "nvr.local:8080", true, false)]
    [Arguments(null, null, "nvr.local:8080", false, true)]
    [Arguments("http://192.168.1.5", null, "192.168.1.5", true, true)]
    public async Task A_changing_request_must_come_from_the_same_origin(string? origin, string? referer, string host, bool cookie, bool allowed) =>
        await Assert.That(SameOrigin.Allowed(origin, referer, host, cookie)).IsEqualTo(allowed);

    [Test]
    public async Task A_session_token_is_valid_until_it_expires_renews_past_half_life_and_dies_with_tampering_or_a_new_password()
    {
        var key = new byte[32];
        key[0] = 7;
        var t0 = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        var token = SessionToken.Issue(key, t0, "AAAA");
        await Assert.That(SessionToken.Check(token, key, t0, "AAAA")).IsEqualTo(SessionToken.Verdict.Valid);
        await Assert.That(SessionToken.Check(token, key, t0 + TimeSpan.FromDays(4), "AAAA")).IsEqualTo(SessionToken.Verdict.ValidRenew);
        await Assert.That(SessionToken.Check(token, key, t0 + SessionToken.Lifetime, "AAAA")).IsEqualTo(SessionToken.Verdict.Invalid);
        await Assert.That(SessionToken.Check(token, key, t0, "BBBB")).IsEqualTo(SessionToken.Verdict.Invalid);
        var otherKey = (byte[])key.Clone();
        otherKey[1] = 1;
        await Assert.That(SessionToken.Check(token, otherKey, t0, "AAAA")).IsEqualTo(SessionToken.Verdict.Invalid);
        // Flip each character of the token in turn: every change is refused.
        for (var i = 0; i < token.Length; i++)
        {
            var flipped = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            await Assert.That(SessionToken.Check(flipped, key, t0, "AAAA")).IsEqualTo(SessionToken.Verdict.Invalid);
        }
        foreach (var junk in new[] { "", ".", "abc", "a.b", new string('x', 600) })
            await Assert.That(SessionToken.Check(junk, key, t0, "AAAA")).IsEqualTo(SessionToken.Verdict.Invalid);
    }
}
