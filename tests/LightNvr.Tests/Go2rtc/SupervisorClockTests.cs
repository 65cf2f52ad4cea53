using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Tests.Support;
using LightNvr.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Go2rtc;

/// <summary>
/// The supervisor's loop on a fake clock, with a fake process seam and a fake go2rtc client: minutes
/// of backoff, budget and stopping run in milliseconds, and each wait is proven by the timer it arms.
/// The stand-in tests (SupervisorLifecycleTests, SupervisorFaultTests …) check the same loop against
/// real processes.
/// </summary>
public class SupervisorClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int ApiPort = 41984;

    private sealed class Rig : IAsyncDisposable
    {
        private readonly TempDir _dir = new();

        public TimerClock Clock { get; } = new(T0);
        public FakeGo2rtcProcesses Os { get; }
        public RestartLedger Ledger { get; }
        public Go2rtcSupervisor Supervisor { get; }

        public Rig(RestartBudgetOptions? budget = null, FakeGo2rtcProcesses.Start onSpawn = FakeGo2rtcProcesses.Start.Ready)
        {
            var config = new AppConfig
            {
                StateDir = Path.Combine(_dir.Path, "state"),
                Go2rtc = new Go2rtcSettings
                {
                    Binary = "/opt/go2rtc", ConfigDir = Path.Combine(_dir.Path, "go2rtc"),
                    ApiPort = ApiPort, RtspPort = ApiPort + 1, WebrtcPort = ApiPort + 2, ReadyTimeoutMs = 10_000,
                },
            };
            Directory.CreateDirectory(config.StateDir);
            Os = new FakeGo2rtcProcesses(Clock, ApiPort) { OnSpawn = onSpawn };
            Ledger = new RestartLedger(budget ?? RestartBudgetOptions.Default);
            Supervisor = new Go2rtcSupervisor(config, new SupervisorOptions(), NullLogger<Go2rtcSupervisor>.Instance, Clock,
                Ledger, client: new FakeGo2rtcClient(), processes: Os);
        }

        public Go2rtcStatus Status => Supervisor.Status;

        public Task Start() => Supervisor.StartAsync(CancellationToken.None);

        public Task Spawns(int count) => Wait.Until(() => Os.Spawned.Count == count, Timeout, $"spawn {count} (now {Os.Spawned.Count})");

        public Task Phase(Go2rtcPhase phase, int generation = 0) =>
            Wait.Until(() => Status.Phase == phase && Status.Generation >= generation, Timeout, $"{phase} (now {Status.Phase}: {Status.Message})");

        /// <summary>The loop waits exactly <paramref name="delay"/> from now before its next start, and starts again then, not before.</summary>
        public async Task NextStartAfter(TimeSpan delay)
        {
            var spawns = Os.Spawned.Count;
            var at = Clock.GetUtcNow() + delay;
            await Wait.Until(() => Status.NextAttemptAt == at && Clock.Due.Contains(at), Timeout,
                $"a wait of {delay.TotalSeconds} s (next attempt {Status.NextAttemptAt:HH:mm:ss.fff})");
            Clock.Advance(delay - TimeSpan.FromMilliseconds(1));
            await Assert.That(Os.Spawned.Count).IsEqualTo(spawns);
            Clock.Advance(TimeSpan.FromMilliseconds(1));
            await Spawns(spawns + 1);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var process in Os.Spawned) process.IgnoresTerm = false; // a failed test's hung go2rtc must not hold up the stop
            using var timeout = new CancellationTokenSource(Timeout);
            await Supervisor.StopAsync(timeout.Token);
            Supervisor.Dispose();
            _dir.Dispose();
        }
    }

    [Test]
    public async Task A_crash_loop_at_start_up_backs_off_1_2_4_8_16_32_s_then_the_budget_marks_it_failed_until_the_retry()
    {
        await using var rig = new Rig(onSpawn: FakeGo2rtcProcesses.Start.ExitAtOnce);
        await rig.Start();
        await rig.Spawns(1);
        foreach (var seconds in new[] { 1, 2, 4, 8, 16 })
        {
            await rig.Phase(Go2rtcPhase.Backoff);
            await rig.NextStartAfter(TimeSpan.FromSeconds(seconds));
        }
        // Five automatic restarts (the first start is not one) spent the budget: the sixth wait ends in Failed, not a start.
        var lastAttempt = rig.Ledger.History.Entries[^1].At;
        await Assert.That(rig.Ledger.History.Entries.Length).IsEqualTo(5);
        await rig.Phase(Go2rtcPhase.Backoff);
        await rig.Clock.AdvanceTo(lastAttempt + TimeSpan.FromSeconds(32), "the sixth backoff");
        var retryAt = lastAttempt + RestartBudgetOptions.Default.RetryEvery;
        await rig.Phase(Go2rtcPhase.Failed);
        await Wait.Until(() => rig.Status.NextAttemptAt == retryAt && rig.Clock.Due.Contains(retryAt), Timeout, "the wait for the retry");
        rig.Clock.Advance(retryAt - rig.Clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
        await Assert.That(rig.Status.Phase).IsEqualTo(Go2rtcPhase.Failed);
        await Assert.That(rig.Os.Spawned.Count).IsEqualTo(6);

        rig.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await rig.Spawns(7);
        await Wait.Until(() => rig.Ledger.History.Entries.Length == 6, Timeout, "the retry's outcome in the history");
        await Assert.That(rig.Ledger.History.Entries[^1]).IsEqualTo(new RestartEntry(retryAt, RestartReason.Exited, RestartOutcome.Failed, IsRetry: true));
        // A failed retry keeps go2rtc failed: after the longest backoff, the next retry is again five minutes on.
        await rig.Phase(Go2rtcPhase.Backoff);
        await rig.Clock.AdvanceTo(retryAt + RestartPacing.Max, "the backoff after the retry");
        await rig.Phase(Go2rtcPhase.Failed);
        await Wait.Until(() => rig.Status.NextAttemptAt == retryAt + RestartBudgetOptions.Default.RetryEvery, Timeout, "the next retry time");
        await Assert.That(rig.Os.Spawned.Count).IsEqualTo(7);
    }

    [Test]
    public async Task A_failed_go2rtc_refuses_an_automatic_restart_and_restarts_at_once_for_a_person()
    {
        await using var rig = new Rig(new RestartBudgetOptions(2, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)), FakeGo2rtcProcesses.Start.ExitAtOnce);
        await rig.Start();
        await rig.Spawns(1);
        await rig.NextStartAfter(TimeSpan.FromSeconds(1));
        await rig.NextStartAfter(TimeSpan.FromSeconds(2));
        await rig.Phase(Go2rtcPhase.Backoff);
        await rig.Clock.AdvanceTo(T0 + TimeSpan.FromSeconds(3 + 4), "the third backoff");
        await rig.Phase(Go2rtcPhase.Failed);
        await Assert.That(rig.Status.Message).Contains("2 automatic restarts in 10 minutes did not keep it running");

        await Assert.That(await rig.Supervisor.RequestRestart(RestartReason.Hung, "API missed 3 probes")).IsFalse();
        await Assert.That(rig.Status.RestartRefused).Contains("(hung: API missed 3 probes) but the restart budget is spent");
        await Assert.That(rig.Os.Spawned.Count).IsEqualTo(3);

        rig.Os.OnSpawn = FakeGo2rtcProcesses.Start.Ready;
        var now = rig.Clock.GetUtcNow();
        await Assert.That(await rig.Supervisor.RequestRestart(RestartReason.Manual).WaitAsync(Timeout)).IsTrue();
        await Assert.That(rig.Clock.GetUtcNow()).IsEqualTo(now);
        await Assert.That(rig.Os.Spawned.Count).IsEqualTo(4);
        await Assert.That(rig.Status.Phase).IsEqualTo(Go2rtcPhase.Ready);
        await Assert.That(rig.Status.RestartRefused).IsNull();
        await Assert.That(rig.Ledger.History.Entries[^1]).IsEqualTo(new RestartEntry(now, RestartReason.Manual, RestartOutcome.Ok));
    }

    [Test]
    public async Task A_ready_go2rtc_that_dies_is_respawned_at_once_and_a_second_death_within_a_minute_waits()
    {
        await using var rig = new Rig();
        await rig.Start();
        await rig.Phase(Go2rtcPhase.Ready, generation: 1);
        rig.Clock.Advance(TimeSpan.FromMinutes(5));

        rig.Os.Last.Exit(2);
        await rig.Phase(Go2rtcPhase.Ready, generation: 2);
        await Assert.That(rig.Os.Spawned.Count).IsEqualTo(2);
        await Assert.That(rig.Status.LastExit).StartsWith("exit code 2 at");

        // The respawn at once took the place of the first, 1 s wait: a second death in the same minute waits 2 s.
        rig.Clock.Advance(TimeSpan.FromSeconds(30));
        rig.Os.Last.Exit(2);
        await rig.Phase(Go2rtcPhase.Backoff);
        await rig.NextStartAfter(TimeSpan.FromSeconds(2));
        await rig.Phase(Go2rtcPhase.Ready, generation: 3);
        await Assert.That(rig.Ledger.History.Entries.Select(e => (e.Reason, e.Outcome)))
            .IsEquivalentTo([(RestartReason.Exited, RestartOutcome.Ok), (RestartReason.Exited, RestartOutcome.Ok)]);
    }

    [Test]
    public async Task A_hung_go2rtc_gets_SIGTERM_then_SIGKILL_after_the_hung_grace()
    {
        await using var rig = new Rig();
        await rig.Start();
        await rig.Phase(Go2rtcPhase.Ready, generation: 1);
        var hung = rig.Os.Last;
        hung.IgnoresTerm = true;

        var restart = rig.Supervisor.RequestRestart(RestartReason.Hung, "API missed 3 probes");
        await Wait.Until(() => hung.Signals.Count == 1, Timeout, "SIGTERM");
        var term = hung.Signals[0];
        await Assert.That(term.Signal).IsEqualTo(15);
        var poll = TimeSpan.FromMilliseconds(50);
        for (var waited = poll; waited < Go2rtcSupervisor.HungGrace; waited += poll)
        {
            await rig.Clock.AdvanceTo(term.At + waited, "the next look at the hung go2rtc");
            await Assert.That(hung.Signals.Count).IsEqualTo(1);
        }
        await rig.Clock.AdvanceTo(term.At + Go2rtcSupervisor.HungGrace, "the end of the grace");
        await Wait.Until(() => hung.Signals.Count == 2, Timeout, "SIGKILL");
        await Assert.That(hung.Signals[1]).IsEqualTo((9, term.At + Go2rtcSupervisor.HungGrace));

        await Assert.That(await restart.WaitAsync(Timeout)).IsTrue();
        await Assert.That(rig.Status.Generation).IsEqualTo(2);
        await Assert.That(rig.Ledger.History.Entries[^1].Reason).IsEqualTo(RestartReason.Hung);
    }
}
