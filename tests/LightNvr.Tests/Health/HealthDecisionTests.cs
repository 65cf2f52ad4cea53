using LightNvr.Go2rtc;
using System.Collections.Immutable;
using LightNvr.Health;
using static LightNvr.Tests.Health.HealthFixtures;

namespace LightNvr.Tests.Health;

public class HealthDecisionTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private static TickInputs Tick(string streams, bool hung = false, bool memory = false,
        ApiHealth api = ApiHealth.Healthy, DateTimeOffset? readySince = null) => new(
        hung ? new ApiVerdict(ApiHealth.Hung, 3) : new ApiVerdict(api, api == ApiHealth.Suspect ? 1 : 0),
        memory ? new ResourceVerdict(true, false, 900, null) : ResourceVerdict.Nothing,
        StreamsOf(streams),
        ConsensusMemory.Empty,
        ImmutableDictionary<string, DateTimeOffset>.Empty,
        readySince ?? T0,
        Now);

    // Precedence: hung > memory > consensus > per-stream healing.
    [Test]
    [Arguments("SSSL", true, true, "restart hung")]
    [Arguments("LLLL", true, false, "restart hung")]
    [Arguments("SSSL", false, true, "restart memory")]
    [Arguments("SSSL", false, false, "restart consensus")]    // no re-registration on top
    [Arguments("SLLL", false, false, "reregister cam0")]
    [Arguments("SSLL", false, false, "reregister cam0,cam1")]
    [Arguments("LLLL", false, false, "none")]
    [Arguments("S", false, false, "reregister cam0")]         // one watched stream: healing, never consensus
    public async Task One_decision_per_tick_by_precedence(string streams, bool hung, bool memory, string expected) =>
        await Assert.That(Describe(HealthDecision.Decide(Tick(streams, hung, memory)).Decision)).IsEqualTo(expected);

    [Test]
    [Arguments(true, false, "restart hung")]
    [Arguments(false, true, "restart memory")]
    [Arguments(false, false, "restart consensus")]
    public async Task A_restart_is_asked_for_whatever_the_budget_the_supervisor_gates_it(bool hung, bool memory, string expected)
    {
        // The fold knows no budget: with five failed restarts behind it, the same tick still asks for one.
        var outcome = HealthDecision.Decide(Tick("SSSL", hung, memory));
        await Assert.That(Describe(outcome.Decision)).IsEqualTo(expected);
    }

    [Test]
    public async Task A_consensus_restart_is_remembered()
    {
        var outcome = HealthDecision.Decide(Tick("SSSL"));
        await Assert.That(outcome.Consensus).IsEqualTo(new ConsensusMemory(Now, ["cam0", "cam1", "cam2"], false));
        var hung = HealthDecision.Decide(Tick("SSSL", hung: true));
        await Assert.That(hung.Consensus).IsEqualTo(ConsensusMemory.Empty); // it was a hang restart
    }

    [Test]
    public async Task Streams_are_left_alone_while_the_api_is_suspect_or_go2rtc_settles()
    {
        await Assert.That(Describe(HealthDecision.Decide(Tick("SSSL", api: ApiHealth.Suspect)).Decision)).IsEqualTo("none");
        await Assert.That(Describe(HealthDecision.Decide(Tick("SLLL", api: ApiHealth.Suspect)).Decision)).IsEqualTo("none");
        await Assert.That(Describe(HealthDecision.Decide(Tick("SSSL", readySince: Now.AddSeconds(-30))).Decision)).IsEqualTo("none");
        await Assert.That(Describe(HealthDecision.Decide(Tick("SSSL", memory: true, api: ApiHealth.Suspect)).Decision)).IsEqualTo("restart memory");
    }

    private static string Describe(Decision d) => d switch
    {
        Decision.RestartGo2rtc r => "restart " + r.Reason.ToString().ToLowerInvariant(),
        Decision.Reregister r => "reregister " + string.Join(",", r.Streams.Select(s => s.Stream)),
        _ => "none",
    };
}
