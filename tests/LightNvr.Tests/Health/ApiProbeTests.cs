using LightNvr.Go2rtc;
using LightNvr.Health;

namespace LightNvr.Tests.Health;

public class ApiProbeTests
{
    // o = ok, t = timeout, r = connection refused, 5 = HTTP 5xx
    [Test]
    [Arguments("", ApiHealth.Healthy, 0)]
    [Arguments("t", ApiHealth.Suspect, 1)]
    [Arguments("tr", ApiHealth.Suspect, 2)]
    [Arguments("tr5", ApiHealth.Hung, 3)]
    [Arguments("ttttt", ApiHealth.Hung, 5)]
    [Arguments("ttot", ApiHealth.Suspect, 1)]
    [Arguments("ttottt", ApiHealth.Hung, 3)]
    [Arguments("ttto", ApiHealth.Healthy, 0)]
    public async Task Consecutive_misses_make_a_hang_and_a_success_resets(string probes, ApiHealth health, int misses)
    {
        var v = Fold(probes, ApiProbe.DefaultHungAfter);
        await Assert.That(v).IsEqualTo(new ApiVerdict(health, misses));
    }

    [Test]
    public async Task The_threshold_is_configurable()
    {
        await Assert.That(Fold("t", 1).Health).IsEqualTo(ApiHealth.Hung);
        await Assert.That(Fold("tttt", 5).Health).IsEqualTo(ApiHealth.Suspect);
        await Assert.That(Fold("ttttt", 5).Health).IsEqualTo(ApiHealth.Hung);
    }

    [Test]
    [Arguments(200, ProbeResult.Ok)]
    [Arguments(401, ProbeResult.Ok)]
    [Arguments(404, ProbeResult.Ok)]
    [Arguments(500, ProbeResult.ServerError)]
    [Arguments(503, ProbeResult.ServerError)]
    public async Task Only_5xx_is_a_miss(int status, ProbeResult expected) =>
        await Assert.That(ProbeResults.FromStatus(status)).IsEqualTo(expected);

    private static ApiVerdict Fold(string probes, int hungAfter) =>
        probes.Aggregate(ApiVerdict.Initial, (v, c) => ApiProbe.Next(v, c switch
        {
            'o' => ProbeResult.Ok,
            't' => ProbeResult.Timeout,
            'r' => ProbeResult.ConnectionRefused,
            _ => ProbeResult.ServerError,
        }, hungAfter));
}
