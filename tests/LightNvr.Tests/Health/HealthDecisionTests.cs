using LightNvr.Go2rtc;
using System.Collections.Immutable;
using LightNvr.Health;
using static LightNvr.Tests.Health.HealthFixtures;

namespace LightNvr.Tests.Health;

public class HealthDecisionTests
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private static TickInputs Tick(string streams, bool hung = false, bool memory = false, RestartHistory? history = null,
        ApiHealth api = ApiHealth.Healthy, DateTimeOffset? readySince = null) => new(
        hung ? new ApiVerdict(ApiHealth.Hung, 3) : new ApiVerdict(api, api == ApiHealth.Suspect ? 1 : 0),
        memory ? new ResourceVerdict(true, false, 900, null) : ResourceVerdict.Nothing,
        StreamsOf(streams),
        ConsensusMemory.Empty,
        history ?? RestartHistory.Empty,
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
    [Arguments(true, false)]
    [Arguments(false, true)]
    [Arguments(false, false)]
    public async Task A_denied_restart_is_failed_until_the_retry(bool hung, bool memory)
    {
        var spent = Enumerable.Range(0, 5).Aggregate(RestartHistory.Empty, (h, i) =>
            RestartBudget.Record(h, new RestartEntry(Now.AddMinutes(i - 5), RestartReason.Hung, RestartOutcome.Failed)));
        var outcome = HealthDecision.Decide(Tick("SSSL", hung, memory, spent));
        await Assert.That(outcome.Decision).IsTypeOf<Decision.Failed>();
        await Assert.That(((Decision.Failed)outcome.Decision).NextRetryAt).IsEqualTo(Now.AddMinutes(4));
        await Assert.That(outcome.Consensus).IsEqualTo(ConsensusMemory.Empty); // no restart was made
    }

    [Test]
    public async Task The_retry_is_marked_as_one()
    {
        var spent = Enumerable.Range(0, 5).Aggregate(RestartHistory.Empty, (h, i) =>
            RestartBudget.Record(h, new RestartEntry(Now.AddMinutes(i - 9), RestartReason.Hung, RestartOutcome.Failed)));
        var d = HealthDecision.Decide(Tick("LLLL", hung: true, history: spent)).Decision;
        await Assert.That(d).IsEqualTo(new Decision.RestartGo2rtc(RestartReason.Hung, "API missed 3 probes in a row", IsRetry: true));
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
        Decision.Failed f => "failed " + f.Wanted.ToString().ToLowerInvariant(),
        _ => "none",
    };
}
