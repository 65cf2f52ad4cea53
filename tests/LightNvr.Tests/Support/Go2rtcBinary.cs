namespace LightNvr.Tests.Support;

/// <summary>
/// Which go2rtc the integration tests spawn: a real one when GO2RTC_BINARY names it, otherwise our
/// stand-in (tests/Go2rtcStandIn, built by `make standin` into build/standin). Fault switches exist
/// only in the stand-in; tests that need them skip against a real go2rtc.
/// </summary>
public static class Go2rtcBinary
{
    public static string? Real { get; } = Environment.GetEnvironmentVariable("GO2RTC_BINARY") is { Length: > 0 } p ? System.IO.Path.GetFullPath(p) : null;

    public static string StandIn { get; } = Repo.PathOf("build", "standin", "go2rtc-standin");

    public static string Path => Real ?? StandIn;

    public static bool IsStandIn => Real is null;

    private static int _announced;

    /// <summary>Says once per run which go2rtc the tests use.</summary>
    public static void Announce()
    {
        if (Interlocked.Exchange(ref _announced, 1) == 0)
            Console.WriteLine($"go2rtc integration tests use {(IsStandIn ? "the stand-in" : "a real go2rtc")}: {Path}");
        if (!File.Exists(Path)) throw new FileNotFoundException($"go2rtc for tests not found at {Path}; run `make standin`");
    }

    public static void RequireStandIn()
    {
        if (!IsStandIn) Skip.Test("needs the stand-in's fault switches; GO2RTC_BINARY names a real go2rtc");
    }
}
