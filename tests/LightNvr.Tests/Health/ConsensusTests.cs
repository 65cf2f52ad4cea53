using LightNvr.Health;
using static LightNvr.Tests.Health.HealthFixtures;

namespace LightNvr.Tests.Health;

public class ConsensusTests
{
    private static readonly TimeSpan WarmUp = ConsensusOptions.Default.WarmUp;
    private static readonly DateTimeOffset Later = T0.AddHours(1);

    [Test]
    [Arguments("SLLL", ConsensusVerdict.None)]          // one camera down of four
    [Arguments("SSLL", ConsensusVerdict.None)]          // half is not a strict majority
    [Arguments("SSSL", ConsensusVerdict.RestartGo2rtc)]
    [Arguments("SESL", ConsensusVerdict.RestartGo2rtc)] // stalled and errored both count
    [Arguments("EEEE", ConsensusVerdict.RestartGo2rtc)]
    [Arguments("S", ConsensusVerdict.None)]             // one watched stream: never
    [Arguments("E", ConsensusVerdict.None)]
    [Arguments("SIIII", ConsensusVerdict.None)]         // idle streams are not watched
    [Arguments("SSIII", ConsensusVerdict.RestartGo2rtc)]
    [Arguments("SSWLL", ConsensusVerdict.None)]         // warming-up streams count as not failed
    [Arguments("SSSWL", ConsensusVerdict.RestartGo2rtc)]
    [Arguments("SLLLLLLLLL", ConsensusVerdict.None)]
    public async Task A_strict_majority_of_at_least_two_watched_streams(string streams, ConsensusVerdict expected)
    {
        var r = Consensus.Decide(StreamsOf(streams), ConsensusMemory.Empty, go2rtcReadySince: T0, Later);
        await Assert.That(r.Verdict).IsEqualTo(expected);
    }

    [Test]
    public async Task No_vote_while_a_fresh_go2rtc_warms_up()
    {
        var r = Consensus.Decide(StreamsOf("EEE"), ConsensusMemory.Empty, go2rtcReadySince: Later - WarmUp + TimeSpan.FromSeconds(1), Later);
        await Assert.That(r.Verdict).IsEqualTo(ConsensusVerdict.Waiting);
        r = Consensus.Decide(StreamsOf("EEE"), ConsensusMemory.Empty, go2rtcReadySince: Later - WarmUp, Later);
        await Assert.That(r.Verdict).IsEqualTo(ConsensusVerdict.RestartGo2rtc);
    }

    [Test]
    public async Task A_restart_that_did_not_help_is_concluded_and_not_repeated_until_the_picture_changes()
    {
        var first = Consensus.Decide(StreamsOf("SSSL"), ConsensusMemory.Empty, null, T0);
        await Assert.That(first.Verdict).IsEqualTo(ConsensusVerdict.RestartGo2rtc);
        var memory = Consensus.AfterRestart(first, T0);
        await Assert.That(memory.FailedSet).IsEquivalentTo(new[] { "cam0", "cam1", "cam2" });

        // Within the warm-up the restart is still being judged.
        var waiting = Consensus.Decide(StreamsOf("SSSL"), memory, null, T0 + WarmUp - TimeSpan.FromSeconds(1));
        await Assert.That(waiting.Verdict).IsEqualTo(ConsensusVerdict.Waiting);

        // After the warm-up the same majority is still down: cameras or network, not go2rtc.
        var concluded = Consensus.Decide(StreamsOf("SSSL"), memory, null, T0 + WarmUp);
        await Assert.That(concluded.Verdict).IsEqualTo(ConsensusVerdict.CamerasOrNetworkDown);
        await Assert.That(concluded.Memory.Concluded).IsTrue();

        // Hours later, same picture: still no restart.
        var still = Consensus.Decide(StreamsOf("SSSL"), concluded.Memory, null, T0.AddHours(3));
        await Assert.That(still.Verdict).IsEqualTo(ConsensusVerdict.CamerasOrNetworkDown);

        // The failed set changes (a fourth camera fails too): judge afresh, restart.
        var changed = Consensus.Decide(StreamsOf("SSSS"), concluded.Memory, null, T0.AddHours(3));
        await Assert.That(changed.Verdict).IsEqualTo(ConsensusVerdict.RestartGo2rtc);
        await Assert.That(changed.Memory).IsEqualTo(ConsensusMemory.Empty);

        // Some recover: the memory is cleared, and a later majority restarts again.
        var recovered = Consensus.Decide(StreamsOf("SLLL"), concluded.Memory, null, T0.AddHours(3));
        await Assert.That(recovered.Verdict).IsEqualTo(ConsensusVerdict.None);
        await Assert.That(recovered.Memory).IsEqualTo(ConsensusMemory.Empty);
    }

    [Test]
    public async Task A_restart_that_helped_clears_the_memory()
    {
        var memory = Consensus.AfterRestart(Consensus.Decide(StreamsOf("SSSL"), ConsensusMemory.Empty, null, T0), T0);
        var r = Consensus.Decide(StreamsOf("LLLL"), memory, null, T0 + WarmUp);
        await Assert.That(r.Verdict).IsEqualTo(ConsensusVerdict.None);
        await Assert.That(r.Memory).IsEqualTo(ConsensusMemory.Empty);
    }
}

public class ConsensusAfterRestartTests
{
    private static readonly DateTimeOffset Later = HealthFixtures.T0.AddHours(1);

    [Test]
    public async Task Streams_still_starting_after_the_warm_up_keep_the_verdict_open()
    {
        // Our restart was a warm-up ago; the streams have not produced enough samples to tell.
        var memory = new ConsensusMemory(Later - ConsensusOptions.Default.WarmUp - TimeSpan.FromSeconds(1),
            System.Collections.Immutable.ImmutableSortedSet.Create("s0", "s1", "s2"), Concluded: false);
        var waiting = Consensus.Decide(HealthFixtures.StreamsOf("WWW"), memory, go2rtcReadySince: null, Later);
        await Assert.That(waiting.Verdict).IsEqualTo(ConsensusVerdict.Waiting);
        await Assert.That(waiting.Memory).IsEqualTo(memory);
        // Once they have told (still failed), the restart is judged not to have helped.
        var concluded = Consensus.Decide(HealthFixtures.StreamsOf("EEE"), memory, go2rtcReadySince: null, Later);
        await Assert.That(concluded.Verdict).IsEqualTo(ConsensusVerdict.CamerasOrNetworkDown);
    }
}
