namespace LightNvr.Go2rtc;

/// <summary>One probe of go2rtc's HTTP API, classified as the health checker counts it.</summary>
public enum ProbeResult { Ok, Timeout, ConnectionRefused, ServerError }

public static class ProbeResults
{
    /// <summary>
    /// A response is a miss only if the server could not serve it (5xx). 4xx still proves the HTTP
    /// server and its handlers are alive, which is all this probe asks.
    /// </summary>
    public static ProbeResult FromStatus(int httpStatus) => httpStatus >= 500 ? ProbeResult.ServerError : ProbeResult.Ok;
}
