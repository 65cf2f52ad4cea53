using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Streams;
using LightNvr.Tests.Support;
using LightNvr.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Health;

/// <summary>
/// The health loop itself, driven tick by tick on a fake clock against fake go2rtc, client and streams:
/// each tick is one period of the clock, so minutes of behaviour run in milliseconds.
/// </summary>
public class HealthLoopClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Rig : IAsyncDisposable
    {
        public FakeTimeProvider Clock { get; } = new(T0);
        public FakeGo2rtc Go2rtc { get; } = new();
        public FakeGo2rtcClient Client { get; } = new();
        public FakeStreams Streams { get; }
        public HealthLoop Loop { get; }

        public Rig(StreamsState? streams = null)
        {
            Streams = new FakeStreams(streams ?? StreamsState.Empty);
            var config = new AppConfig { Health = new HealthSettings { PeriodMs = 1000, HungAfter = 3, WarmUpSeconds = 2 } };
            Loop = new HealthLoop(config, Go2rtc, Client, Streams, NullLogger<HealthLoop>.Instance, Clock);
        }

        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        /// <summary>The appliance's own loop (timer, tick, watchdog ping) on the fake clock; its timer exists when this returns.</summary>
        public Task Start()
        {
            _running = HealthLoop.RunAsync(TimeSpan.FromSeconds(1), Clock, Loop.TickAsync, () => Interlocked.Increment(ref _alive),
                NullLogger.Instance, _stop.Token);
            return Task.CompletedTask;
        }

        private int _alive;

        /// <summary>Watchdog pings so far: one per finished tick.</summary>
        public int Alive => Volatile.Read(ref _alive);

        /// <summary>One period of the clock, then until the tick it fires has looked at go2rtc.</summary>
        public async Task Tick()
        {
            var seen = Client.Observations;
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Wait.Until(() => Client.Observations > seen, TimeSpan.FromSeconds(10), "the health tick");
            await Wait.Until(() => Alive > seen, TimeSpan.FromSeconds(10), "the tick's end");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _running; } catch (OperationCanceledException) { }
        }
    }

    [Test]
    public async Task A_hung_api_is_restarted_on_the_third_missed_probe_and_not_before()
    {
        await using var rig = new Rig();
        await rig.Start();
        rig.Client.Probe = ProbeResult.Timeout;
        await rig.Tick();
        await rig.Tick();
        await Assert.That(rig.Go2rtc.Restarts).IsEmpty();
        await Assert.That(rig.Loop.Snapshot.Api).IsEqualTo(ApiHealth.Suspect);
        await Assert.That(rig.Loop.Snapshot.ApiMisses).IsEqualTo(2);
        await rig.Tick();
        await Wait.Until(() => rig.Go2rtc.Restarts.Count == 1, TimeSpan.FromSeconds(10), "the restart request");
        await Assert.That(rig.Go2rtc.Restarts[0]).IsEqualTo(RestartReason.Hung);
    }

    [Test]
    public async Task An_answer_between_misses_starts_the_count_again()
    {
        await using var rig = new Rig();
        await rig.Start();
        foreach (var probe in new[] { ProbeResult.Timeout, ProbeResult.Timeout, ProbeResult.Ok, ProbeResult.Timeout, ProbeResult.Timeout })
        {
            rig.Client.Probe = probe;
            await rig.Tick();
        }
        await Assert.That(rig.Go2rtc.Restarts).IsEmpty();
        await Assert.That(rig.Loop.Snapshot.ApiMisses).IsEqualTo(2);
    }

    [Test]
    public async Task A_stalled_camera_is_re_registered_after_its_warm_up_and_go2rtc_is_left_alone()
    {
        var cameras = new[] { new Camera { Name = "cam1", Url = "rtsp://10.0.0.5/a" } };
        var desired = DesiredStreams.From(cameras, Go2rtcVersion.Parse("1.9.14")!, []);
        var state = StreamsState.Empty with
        {
            Desired = desired,
            States = new Dictionary<string, StreamState> { ["cam1"] = new(true, Since: T0) },
        };
        await using var rig = new Rig(state);
        await rig.Start();
        long bytes = 0;
        // Bytes flowing: live, nothing to do.
        for (var i = 0; i < 5; i++)
        {
            rig.Client.SetStream("cam1", bytes += 50_000, "rtsp://10.0.0.5/a");
            await rig.Tick();
        }
        await Assert.That(rig.Loop.Snapshot.Streams.Single().State).IsEqualTo(Liveness.Live);
        await Assert.That(rig.Streams.Reregistered).IsEmpty();
        // The bytes stop: stalled after three samples without new ones, then healed by re-registration.
        for (var i = 0; i < 4 && rig.Streams.Reregistered.Count == 0; i++) await rig.Tick();
        await Assert.That(rig.Streams.Reregistered).IsEquivalentTo(["cam1"]);
        await Assert.That(rig.Go2rtc.Restarts).IsEmpty();
    }

    [Test]
    public async Task A_new_go2rtc_generation_starts_the_probe_count_afresh()
    {
        await using var rig = new Rig();
        await rig.Start();
        rig.Client.Probe = ProbeResult.Timeout;
        await rig.Tick();
        await rig.Tick();
        rig.Go2rtc.Publish(FakeGo2rtc.Ready(generation: 2)); // restarted by someone else meanwhile
        await rig.Tick();
        await Assert.That(rig.Go2rtc.Restarts).IsEmpty();
        await Assert.That(rig.Loop.Snapshot.ApiMisses).IsEqualTo(1);
    }

    [Test]
    public async Task What_consensus_concluded_outlives_the_go2rtc_it_restarted()
    {
        var memory = HealthMemory.Empty with { Generation = 1, Consensus = new ConsensusMemory(T0, ["cam1", "cam2"], false) };
        var observation = new HealthObservation(T0.AddMinutes(1), FakeGo2rtc.Ready(generation: 2), StreamsState.Empty, null, null, null,
            RestartHistory.Empty, new Dictionary<string, long>(), false);
        var (next, _, _) = HealthFold.Next(memory, observation, new HealthFoldOptions(HealthOptions.Default, LivenessOptions.Default,
            ResourceOptions.ForMemTotal(1L << 30), 3));
        await Assert.That(next.Generation).IsEqualTo(2);
        await Assert.That(next.Consensus).IsEqualTo(memory.Consensus);
    }
}
