using System.Collections.Immutable;
using LightNvr.Health;
using static LightNvr.Tests.Health.HealthFixtures;

namespace LightNvr.Tests.Health;

public class StreamHealingTests
{
    private static readonly ImmutableDictionary<string, DateTimeOffset> Never = ImmutableDictionary<string, DateTimeOffset>.Empty;

    // Streams by letter (see HealthFixtures); healedAgo = seconds since cam0 was last re-registered (-1 never).
    [Test]
    [Arguments("LLL", -1, false, "")]
    [Arguments("SLE", -1, false, "cam0,cam2")]
    [Arguments("SLE", 59, false, "cam2")]      // cam0 healed 59 s ago: not yet
    [Arguments("SLE", 60, false, "cam0,cam2")] // once a minute
    [Arguments("SLE", -1, true, "")]           // a go2rtc restart is decided this tick
    [Arguments("WIL", -1, false, "")]          // starting and idle are never healed
    public async Task Failed_streams_are_reregistered_at_most_once_a_minute(string streams, int healedAgo, bool restartDecided, string expected)
    {
        var now = T0.AddHours(1);
        var last = healedAgo < 0 ? Never : Never.Add("cam0", now.AddSeconds(-healedAgo));
        var actions = StreamHealing.Choose(StreamsOf(streams), last, now, restartDecided);
        await Assert.That(string.Join(",", actions.Select(a => a.Stream))).IsEqualTo(expected);
    }

    [Test]
    public async Task Each_action_says_why()
    {
        var actions = StreamHealing.Choose(StreamsOf("SE"), Never, T0, false);
        await Assert.That(actions).IsEquivalentTo(new[]
        {
            new HealAction("cam0", "stalled: no new bytes for 3 samples"),
            new HealAction("cam1", "error: stream missing from go2rtc"),
        });
    }

    [Test]
    public async Task Recording_a_heal_holds_the_stream_back_for_the_cooldown()
    {
        var cooldown = TimeSpan.FromSeconds(90);
        var actions = StreamHealing.Choose(StreamsOf("S"), Never, T0, false, cooldown);
        var last = StreamHealing.Record(Never, actions, T0);
        await Assert.That(StreamHealing.Choose(StreamsOf("S"), last, T0.AddSeconds(89), false, cooldown)).IsEmpty();
        await Assert.That(StreamHealing.Choose(StreamsOf("S"), last, T0.AddSeconds(90), false, cooldown)).Count().IsEqualTo(1);
        await Assert.That(StreamHealing.Prune(last, ["other"])).IsEmpty();
    }
}
