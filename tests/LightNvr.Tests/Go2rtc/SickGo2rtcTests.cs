using System.Net;
using Microsoft.Extensions.Hosting;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Go2rtc;

/// <summary>
/// No fault of go2rtc may end the appliance: each stand-in fault, at the first start and at a start
/// after a restart, while the page and the API keep answering and the supervisor keeps trying.
/// </summary>
[NotInParallel("go2rtc-lifecycle")]
public class SickGo2rtcTests
{
    private const string Password = "sick-go2rtc-test";

    public static IEnumerable<string> Faults() =>
    [
        "STANDIN_API_MODE=hang",      // [api] listen printed, then every API call hangs
        "STANDIN_API_MODE=500",       // ... answers 500
        "STANDIN_API_MODE=garbage",   // ... answers 200 with junk
        "STANDIN_CRASH_AT_START=1",   // Go panic right after the banner
        "STANDIN_GARBAGE_OUTPUT=1",   // junk on its output (it still becomes ready)
    ];

    [Test]
    [MethodDataSource(nameof(Faults))]
    public async Task At_the_first_start_the_appliance_keeps_answering_and_keeps_trying(string fault)
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = new Sick(fault, atStart: true);
        await app.Start();
        await app.ExpectSurvives();
    }

    [Test]
    [MethodDataSource(nameof(Faults))]
    public async Task After_a_restart_the_appliance_keeps_answering_and_keeps_trying(string fault)
    {
        Go2rtcBinary.RequireStandIn();
        await using var app = new Sick(fault, atStart: false);
        await app.Start();
        var first = await app.H.WaitReady();
        app.Arm();
        // The restart a person (or the health loop, for a hung API) asks for lands on the sick go2rtc.
        using var restart = await app.Client.PostAsync("/api/go2rtc/restart", null);
        await Assert.That(restart.StatusCode).IsNotEqualTo(HttpStatusCode.InternalServerError);
        await app.ExpectSurvives(afterGeneration: first.Generation);
    }

    /// <summary>The appliance in this process with a stand-in whose faults come from a file the test writes.</summary>
    private sealed class Sick(string fault, bool atStart) : IAsyncDisposable
    {
        public AppHarness H { get; } = new AppHarness().WithPassword(Password);
        public HttpClient Client { get; private set; } = null!;
        private string FaultsFile => H.Dir.File("standin-faults");
        private string StartLog => H.Dir.File("standin-starts");

        public async Task Start()
        {
            H.Config.Go2rtc.ReadyTimeoutMs = 2500;
            if (atStart) Arm();
            await H.Start(new SupervisorOptions
            {
                LocateRetry = TimeSpan.FromMilliseconds(300),
                ExtraEnvironment = new Dictionary<string, string> { ["STANDIN_FAULTS_FILE"] = FaultsFile, ["STANDIN_START_LOG"] = StartLog },
            });
            Client = H.AuthedHttp();
        }

        public void Arm() => File.WriteAllText(FaultsFile, fault + "\n");

        private int Starts => File.Exists(StartLog) ? File.ReadAllLines(StartLog).Length : 0;

        private bool Stopping => H.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;

        public async Task ExpectSurvives(int afterGeneration = 0)
        {
            var startsBefore = Starts;
            if (fault == "STANDIN_GARBAGE_OUTPUT=1")
            {
                // Not a failure at all: go2rtc is ready, its junk is only logged.
                await H.WaitReady(afterGeneration, seconds: 30);
                await AnswersAsync();
                await Assert.That(Stopping).IsFalse();
                return;
            }
            // Two more starts of the sick go2rtc, the appliance answering all along.
            await Wait.Until(async () =>
            {
                await AnswersAsync();
                return Starts >= startsBefore + 2 ? "" : null;
            }, TimeSpan.FromSeconds(60), $"two more go2rtc starts with {fault}");
            await Assert.That(Stopping).IsFalse();
            await Assert.That(H.Supervisor.Status.Phase).IsNotEqualTo(Go2rtcPhase.Stopped);
            // Healed: the supervisor is still trying, so the next start is a good one.
            File.Delete(FaultsFile);
            await H.WaitReady(afterGeneration, seconds: 60);
            await AnswersAsync();
            await Assert.That(Stopping).IsFalse();
        }

        private async Task AnswersAsync()
        {
            if (Stopping) throw new InvalidOperationException($"the appliance is stopping ({fault}): {H.Supervisor.Status.Message}");
            foreach (var path in new[] { "/api/status", "/api/health", "/metrics", "/" })
            {
                using var answer = await Client.GetAsync(path);
                if (answer.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)answer.StatusCode} with {fault}");
            }
            using var healthz = await H.Http.GetAsync("/healthz");
            if (healthz.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/healthz answered {(int)healthz.StatusCode}");
        }

        public async ValueTask DisposeAsync()
        {
            Client?.Dispose();
            await H.DisposeAsync();
        }
    }
}
