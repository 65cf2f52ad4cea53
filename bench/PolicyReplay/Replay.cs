using System.Collections.Immutable;
using LightNvr.Go2rtc;
using LightNvr.Health;

namespace LightNvr.PolicyReplay;

public enum Fault { Killed, Hung, OneStalled, MajorityStalled }

/// <summary>One fault of the shared timeline: at <see cref="At"/> seconds, on four cameras.</summary>
public sealed record Scenario(string Name, Fault Fault, double At)
{
    /// <summary>One fault per 30 s, each from a steady state: go2rtc killed at 10 s, hung at 40 s, one camera stalled at 70 s, three of four at 100 s.</summary>
    public static readonly IReadOnlyList<Scenario> Timeline =
    [
        new("go2rtc killed", Fault.Killed, 10),
        new("go2rtc hung (SIGSTOP)", Fault.Hung, 40),
        new("1 of 4 cameras stalled", Fault.OneStalled, 70),
        new("3 of 4 cameras stalled", Fault.MajorityStalled, 100),
    ];
}

/// <summary>
/// What a supervisor does outside the health decisions, per policy (the sources of <see cref="PeerPolicies"/>):
/// how soon it notices that go2rtc exited, how long it waits between SIGTERM and SIGKILL (a stopped process
/// ignores SIGTERM, so a hung go2rtc costs the whole grace), whether its probes run on a fixed period or sleep
/// after each probe, and whether it checks streams at all.
/// </summary>
/// <param name="ExitNoticedEvery">null = at once (a waiter on the PID, asyncio's process.wait, s6); else the poll period.</param>
/// <param name="HungVetoedByConsensus">LightNVR restarts a go2rtc whose API fails only if stream consensus agrees or it has
/// fewer than 2 streams (its monitor's rule; run with 3 streams it never restarted a hung go2rtc).</param>
public sealed record Supervision(TimeSpan? ExitNoticedEvery, TimeSpan StopGrace, bool FixedPeriod, bool ChecksStreams, bool HungVetoedByConsensus = false)
{
    public static Supervision For(PeerPolicy p) => p.Name switch
    {
        // Go2rtcSupervisor: a waiter thread on the PID; a hung go2rtc gets 300 ms between SIGTERM and SIGKILL; PeriodicTimer.
        "LightNVR Appliance" => new(null, TimeSpan.FromMilliseconds(300), true, true),
        // A dead go2rtc is relaunched by its 30 s service loop; process stop: SIGTERM, 3 s, SIGKILL.
        "LightNVR" => new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3), false, true, HungVetoedByConsensus: true),
        // Its _monitor_process awaits the exit; _stop: SIGTERM, 5 s, SIGKILL; sleep(10) after each check.
        "Home Assistant" => new(null, TimeSpan.FromSeconds(5), false, false),
        // s6 restarts the longrun when it exits; timeout-kill 30 s; the healthcheck loop sleeps 30 s.
        "Frigate" => new(null, TimeSpan.FromSeconds(30), false, false),
        _ => throw new ArgumentException($"no supervision model for {p.Name}"),
    };
}

/// <summary>When the policy first acted on the fault and when go2rtc or the cameras were whole again; null = never (within the horizon).</summary>
public sealed record Outcome(Scenario Scenario, PeerPolicy Policy, double? DetectedAt, double? RecoveredAt, string Action)
{
    public double? TimeToDetect => DetectedAt - Scenario.At;
    public double? TimeToRecover => RecoveredAt - Scenario.At;
}

/// <summary>
/// Replays one fault through the appliance's pure health decisions (<see cref="ApiProbe"/>, <see cref="StreamLiveness"/>,
/// <see cref="HealthDecision"/> with its consensus and restart budget) on a fake clock, configured with a policy's numbers.
/// Each scenario starts from a steady state (four cameras live for ten minutes); the fault lasts until the policy's action
/// ends it: a restart fixes everything, a re-registration fixes its camera. go2rtc takes <see cref="StartSeconds"/> from
/// spawn to ready (the bench measures the stand-in), a re-registration <see cref="ReregisterSeconds"/>.
/// </summary>
public static class Replay
{
    public const double Horizon = 300, Step = 0.05, StartSeconds = 0.5, ReregisterSeconds = 0.2;
    private const double AnswerSeconds = 0.01;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Cameras = ["cam0", "cam1", "cam2", "cam3"];

    public static IReadOnlyList<Outcome> All() =>
        [.. from s in Scenario.Timeline from p in PeerPolicies.All select Run(s, p)];

    public static Outcome Run(Scenario scenario, PeerPolicy policy)
    {
        var sup = Supervision.For(policy);
        var options = OptionsFor(policy);
        var liveness = new LivenessOptions(policy.StreamWarmUp ?? TimeSpan.FromMinutes(2));
        DateTimeOffset T(double s) => Epoch + TimeSpan.FromSeconds(s);

        // The world.
        bool alive = true, hung = false;
        var stalledSince = new Dictionary<string, double>();
        var registeredAt = Cameras.ToDictionary(c => c, _ => -600.0);
        double readySince = -600;
        // The policy's memory.
        var api = ApiVerdict.Initial;
        var streams = new Dictionary<string, StreamLivenessState>(StringComparer.Ordinal);
        var consensus = ConsensusMemory.Empty;
        var history = RestartHistory.Empty;
        var healed = ImmutableDictionary<string, DateTimeOffset>.Empty;
        double nextProbe = 0, probeDoneAt = double.NaN;
        ProbeResult pending = ProbeResult.Ok;
        double? detected = null, recovered = null, actionDoneAt = null;
        string action = "none";
        Action? fix = null;

        long Bytes(string cam, double t) // 50 KB/s from registration, frozen while stalled or while go2rtc is not serving
        {
            var end = stalledSince.TryGetValue(cam, out var s) ? Math.Min(s, t) : t;
            return (long)(Math.Max(0, end - registeredAt[cam]) * 50_000);
        }

        void Restart(double now, RestartReason reason, bool wasHung)
        {
            var delay = (wasHung ? sup.StopGrace.TotalSeconds : 0.05) + policy.RespawnDelay.TotalSeconds + StartSeconds;
            history = RestartBudget.Record(history, new RestartEntry(T(now), reason, RestartOutcome.Ok));
            actionDoneAt = now + delay;
            action = $"restart ({reason.ToString().ToLowerInvariant()})";
            fix = () =>
            {
                alive = true; hung = false;
                stalledSince.Clear();
                foreach (var c in Cameras) registeredAt[c] = actionDoneAt!.Value;
                readySince = actionDoneAt!.Value;
                api = ApiVerdict.Initial;
                streams.Clear(); // a new go2rtc: new stream objects, every stream starts over
            };
        }

        for (var i = 0; i * Step <= Horizon; i++)
        {
            var now = Math.Round(i * Step, 3);
            if (now == scenario.At)
            {
                switch (scenario.Fault)
                {
                    case Fault.Killed: alive = false; break;
                    case Fault.Hung: hung = true; break;
                    case Fault.OneStalled: stalledSince["cam1"] = now; break;
                    case Fault.MajorityStalled: foreach (var c in Cameras[1..]) stalledSince[c] = now; break;
                }
            }

            if (actionDoneAt is { } done && now >= done)
            {
                fix!();
                fix = null;
                actionDoneAt = null;
                if (now > scenario.At && alive && !hung && stalledSince.Count == 0) { recovered = now; break; }
            }

            // A dead go2rtc: noticed at once, or by the next service-loop poll.
            if (!alive && actionDoneAt is null && (sup.ExitNoticedEvery is not { } every || IsMultiple(now, every.TotalSeconds)))
            {
                detected ??= now;
                Restart(now, RestartReason.Exited, wasHung: false);
                continue;
            }

            // The API probe: started on schedule, its answer arrives after the work or the timeout (never, without one).
            if (double.IsNaN(probeDoneAt) && now >= nextProbe && actionDoneAt is null)
            {
                pending = !alive ? ProbeResult.ConnectionRefused : hung ? ProbeResult.Timeout : ProbeResult.Ok;
                var takes = pending == ProbeResult.Timeout ? policy.ProbeTimeout?.TotalSeconds ?? double.PositiveInfinity : AnswerSeconds;
                probeDoneAt = now + takes;
            }
            if (double.IsNaN(probeDoneAt) || now < probeDoneAt) continue;

            var probeStartedAt = probeDoneAt - (pending == ProbeResult.Timeout ? policy.ProbeTimeout!.Value.TotalSeconds : AnswerSeconds);
            probeDoneAt = double.NaN;
            api = ApiProbe.Next(api, pending, policy.FailuresBeforeRestart);

            // One look at the streams while the API answers (the appliance reads GET /api/streams each tick).
            if (sup.ChecksStreams && api.Health == ApiHealth.Healthy)
                foreach (var c in Cameras)
                    streams[c] = StreamLiveness.Next(streams.GetValueOrDefault(c), new StreamSample(true, 1, Bytes(c, now)), watched: true,
                        T(registeredAt[c]), T(now), liveness);

            var outcome = HealthDecision.Decide(new TickInputs(api, ResourceVerdict.Nothing, streams, consensus, healed,
                T(readySince), T(now)), options);
            var decision = outcome.Decision;
            if (decision is Decision.RestartGo2rtc { Reason: RestartReason.Hung } && sup.HungVetoedByConsensus
                && outcome.ConsensusVerdict != ConsensusVerdict.RestartGo2rtc && streams.Count >= 2)
                decision = new Decision.None(); // "API unhealthy but stream consensus OK: skipping process restart"
            consensus = decision is Decision.None && outcome.Decision is not Decision.None ? consensus : outcome.Consensus;

            // The next probe: the calm interval while everything is well, as the health loop decides it after each tick
            // (a fixed-period timer re-armed with the new period; a tick that took longer than it goes again at once).
            var interval = policy.CalmInterval is { } calm && HealthCadence.IsCalm(new CadenceInputs(alive && actionDoneAt is null,
                pending == ProbeResult.Ok, api, decision is not Decision.None, false, streams.Values))
                ? calm.TotalSeconds : policy.CheckInterval.TotalSeconds;
            nextProbe = sup.FixedPeriod
                ? probeStartedAt + interval * Math.Max(1, Math.Ceiling((now - probeStartedAt) / interval))
                : now + interval;

            switch (decision)
            {
                // The supervisor's budget gate, as the appliance has it: a refused restart leaves go2rtc as it is.
                case Decision.RestartGo2rtc r when actionDoneAt is null && RestartBudget.Decide(history, T(now), r.Reason, BudgetFor(policy)) is not BudgetVerdict.Denied:
                    detected ??= now >= scenario.At ? now : null;
                    Restart(now, r.Reason, hung);
                    break;
                case Decision.Reregister heal when actionDoneAt is null:
                    detected ??= now >= scenario.At ? now : null;
                    healed = StreamHealing.Record(healed, heal.Streams, T(now));
                    var names = heal.Streams.Select(s => s.Stream).ToList();
                    actionDoneAt = now + ReregisterSeconds;
                    action = $"re-register {string.Join(", ", names)}";
                    fix = () =>
                    {
                        foreach (var n in names) { stalledSince.Remove(n); registeredAt[n] = actionDoneAt!.Value; }
                    };
                    break;
            }
        }
        return new Outcome(scenario, policy, detected, recovered, detected is null ? "none" : action);
    }

    /// <summary>The decisions' options with a policy's numbers; a limit the policy does not have becomes unreachable.</summary>
    public static HealthOptions OptionsFor(PeerPolicy p) => HealthOptions.Default with
    {
        Consensus = new ConsensusOptions(p.ConsensusMinStreams ?? int.MaxValue, p.StreamWarmUp ?? TimeSpan.Zero),
    };

    /// <summary>The restart budget with a policy's numbers; a limit the policy does not have becomes unreachable.</summary>
    public static RestartBudgetOptions BudgetFor(PeerPolicy p) =>
        new(p.MaxRestarts ?? int.MaxValue, p.RestartWindow ?? TimeSpan.FromDays(1), TimeSpan.FromMinutes(5));

    private static bool IsMultiple(double t, double every) => Math.Abs(t / every - Math.Round(t / every)) < 1e-6;
}
