using LightNvr.Go2rtc;

namespace LightNvr.Health;

public enum ApiHealth { Healthy, Suspect, Hung }

/// <summary>
/// The API's health after the latest probe: <see cref="ApiHealth.Suspect"/> carries the number of
/// misses in a row. <see cref="ApiHealth.Hung"/> means restart go2rtc whatever the streams say: a
/// process that no longer answers its API cannot be told to re-register anything.
/// </summary>
public sealed record ApiVerdict(ApiHealth Health, int ConsecutiveMisses)
{
    public static readonly ApiVerdict Initial = new(ApiHealth.Healthy, 0);
}

public static class ApiProbe
{
    /// <summary>LightNVR's <c>PROCESS_MAX_API_FAILURES</c>: one slow answer on a loaded Pi is not a hang.</summary>
    public const int DefaultHungAfter = 3;

    /// <summary>Folds one probe into the verdict: any success resets the run of misses.</summary>
    public static ApiVerdict Next(ApiVerdict previous, ProbeResult result, int hungAfter = DefaultHungAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hungAfter, 1);
        if (result == ProbeResult.Ok) return ApiVerdict.Initial;
        var misses = previous.ConsecutiveMisses + 1;
        return new ApiVerdict(misses >= hungAfter ? ApiHealth.Hung : ApiHealth.Suspect, misses);
    }
}
