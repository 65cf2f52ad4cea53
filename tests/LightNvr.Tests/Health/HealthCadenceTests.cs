using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Streams;
using LightNvr.Tests.Support;
using LightNvr.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Health;

/// <summary>
/// The slower tick while everything is well: the decision as a table, then the loop on a fake clock, where a
/// missed probe must bring the normal period back at once and a hang must still be called on the third miss.
/// </summary>
public class HealthCadenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CadenceOptions Options = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

    private static StreamLivenessState S(Liveness state, int flat = 0) => new(state, 1000, flat, T0, T0, T0);

    private static CadenceInputs Well(params StreamLivenessState[] streams) =>
        new(true, true, ApiVerdict.Initial, false, false, streams.Length == 0 ? [S(Liveness.Live), S(Liveness.Live)] : streams);

    public static IEnumerable<Func<(string Case, CadenceInputs Inputs, int Seconds)>> Cases()
    {
        yield return () => ("every camera live, bytes rising", Well(), 3);
        yield return () => ("an unwatched camera beside live ones", Well(S(Liveness.Live), S(Liveness.Idle)), 3);
        yield return () => ("no cameras at all", Well() with { Streams = [] }, 3);
        yield return () => ("a camera starting", Well(S(Liveness.Live), S(Liveness.Starting)), 1);
        yield return () => ("a live camera whose bytes did not rise", Well(S(Liveness.Live), S(Liveness.Live, flat: 1)), 1);
        yield return () => ("a stalled camera", Well(S(Liveness.Live), S(Liveness.Stalled, flat: 3)), 1);
        yield return () => ("a camera in error", Well(S(Liveness.Live), S(Liveness.Error)), 1);
        yield return () => ("an unreachable camera", Well(S(Liveness.Live), S(Liveness.Unreachable)), 1);
        yield return () => ("one missed probe", Well() with { Api = new ApiVerdict(ApiHealth.Suspect, 1) }, 1);
        yield return () => ("go2rtc hung", Well() with { Api = new ApiVerdict(ApiHealth.Hung, 3) }, 1);
        yield return () => ("go2rtc not ready", Well() with { Go2rtcReady = false }, 1);
        yield return () => ("the stream list not read (the fallback probe)", Well() with { StreamsListed = false }, 1);
        yield return () => ("a restart or re-registration asked for", Well() with { Acted = true }, 1);
        yield return () => ("go2rtc's RSS over its limit", Well() with { RssOverLimit = true }, 1);
    }

    [Test]
    [MethodDataSource(nameof(Cases))]
    public async Task The_calm_period_only_while_everything_is_well((string Case, CadenceInputs Inputs, int Seconds) row) =>
        await Assert.That(HealthCadence.Next(row.Inputs, Options)).IsEqualTo(TimeSpan.FromSeconds(row.Seconds)).Because(row.Case);

    [Test]
    public async Task A_calm_period_not_above_the_period_changes_nothing() =>
        await Assert.That(HealthCadence.Next(Well(), Options with { CalmPeriod = TimeSpan.FromMilliseconds(500) })).IsEqualTo(TimeSpan.FromSeconds(1));

    private sealed class Rig : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;
        private int _alive;

        public TimerClock Clock { get; } = new(T0);
        public FakeGo2rtc Go2rtc { get; } = new();
        public FakeGo2rtcClient Client { get; } = new();
        public HealthLoop Loop { get; }

        public Rig()
        {
            var cameras = new[] { new Camera { Name = "cam1", Url = "rtsp://10.0.0.5/a" } };
            var streams = new FakeStreams(StreamsState.Empty with
            {
                Desired = DesiredStreams.From(cameras, Go2rtcVersion.Parse("1.9.14")!, []),
                States = new Dictionary<string, StreamState> { ["cam1"] = new(true, Since: T0) },
            });
            var config = new AppConfig { Health = new HealthSettings { PeriodMs = 1000, CalmPeriodMs = 3000, HungAfter = 3, WarmUpSeconds = 2 } };
            Loop = new HealthLoop(config, Go2rtc, Client, streams, NullLogger<HealthLoop>.Instance, Clock);
            // The appliance's own loop, with the cadence the loop decides after each tick.
            _running = HealthLoop.RunAsync(TimeSpan.FromSeconds(1), Clock, Loop.TickAsync, () => Interlocked.Increment(ref _alive),
                NullLogger.Instance, _stop.Token, () => Loop.NextPeriod);
        }

        /// <summary>Waits for the loop's timer to be due exactly at <paramref name="at"/> (the period it chose), moves the clock there, waits for the tick's end.</summary>
        public async Task TickAt(DateTimeOffset at)
        {
            var seen = Volatile.Read(ref _alive);
            await Clock.AdvanceTo(at, "the next health tick");
            await Wait.Until(() => Volatile.Read(ref _alive) > seen, TimeSpan.FromSeconds(10), "the tick's end");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _running; } catch (OperationCanceledException) { }
        }
    }

    [Test]
    public async Task A_calm_loop_looks_every_calm_period_and_the_first_miss_brings_the_period_back()
    {
        await using var rig = new Rig();
        long bytes = 0;
        rig.Client.SetStream("cam1", bytes += 50_000, "rtsp://10.0.0.5/a");
        await rig.TickAt(T0.AddSeconds(1)); // first sample: starting
        await Assert.That(rig.Loop.NextPeriod).IsEqualTo(TimeSpan.FromSeconds(1));
        rig.Client.SetStream("cam1", bytes += 50_000, "rtsp://10.0.0.5/a");
        await rig.TickAt(T0.AddSeconds(2)); // bytes rose: live, everything well
        await Assert.That(rig.Loop.Snapshot.Streams.Single().State).IsEqualTo(Liveness.Live);
        rig.Client.SetStream("cam1", bytes += 50_000, "rtsp://10.0.0.5/a");
        await rig.TickAt(T0.AddSeconds(5)); // the calm period: the timer is due 3 s later, not 1
        await Assert.That(rig.Loop.NextPeriod).IsEqualTo(TimeSpan.FromSeconds(3));

        // go2rtc stops answering: the first miss brings the 1 s period back, the third is a hang.
        rig.Client.Probe = ProbeResult.Timeout;
        await rig.TickAt(T0.AddSeconds(8));
        await Assert.That(rig.Loop.Snapshot.ApiMisses).IsEqualTo(1);
        await rig.TickAt(T0.AddSeconds(9));
        await Assert.That(rig.Go2rtc.Restarts).IsEmpty();
        await rig.TickAt(T0.AddSeconds(10));
        await Wait.Until(() => rig.Go2rtc.Restarts.Count == 1, TimeSpan.FromSeconds(10), "the restart request");
        await Assert.That(rig.Go2rtc.Restarts[0]).IsEqualTo(RestartReason.Hung);
    }

    [Test]
    public async Task Bytes_that_stop_rising_bring_the_period_back_and_the_stall_is_seen_as_before()
    {
        await using var rig = new Rig();
        long bytes = 0;
        var at = T0;
        foreach (var step in new[] { 1, 1, 3 })
        {
            rig.Client.SetStream("cam1", bytes += 50_000, "rtsp://10.0.0.5/a");
            await rig.TickAt(at = at.AddSeconds(step));
        }
        await Assert.That(rig.Loop.NextPeriod).IsEqualTo(TimeSpan.FromSeconds(3));
        // Flat from here: one calm wait, then three samples a second apart call it stalled and heal it.
        await rig.TickAt(at = at.AddSeconds(3));
        await Assert.That(rig.Loop.NextPeriod).IsEqualTo(TimeSpan.FromSeconds(1));
        await rig.TickAt(at = at.AddSeconds(1));
        await rig.TickAt(at = at.AddSeconds(1));
        await Assert.That(rig.Loop.Snapshot.Streams.Single().State).IsEqualTo(Liveness.Stalled);
    }
}
