using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Streams;
using LightNvr.Tests.Support;
using LightNvr.Tests.Support.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Streams;

/// <summary>
/// The stream sync loop against a fake go2rtc and client on a fake clock: it follows go2rtc's published
/// generation (nothing calls it back), camera edits, and its own 60 s pass.
/// </summary>
public class StreamSyncClockTests
{
    private sealed class Rig : IAsyncDisposable
    {
        public TempDir Dir { get; } = new();
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        public FakeGo2rtc Go2rtc { get; } = new(new Go2rtcStatus { Phase = Go2rtcPhase.Starting, Version = "1.9.14" });
        public FakeGo2rtcClient Client { get; } = new();
        public CameraList Cameras { get; }
        public ConfigStreamsFromCameras Written { get; }
        public StreamSync Sync { get; }

        public Rig(string streamsYaml)
        {
            Dir.Write("streams.yaml", streamsYaml);
            Cameras = new CameraList(Path.Combine(Dir.Path, "streams.yaml"), NullLogger<CameraList>.Instance, watch: false);
            Written = new ConfigStreamsFromCameras(Cameras);
            Sync = new StreamSync(Cameras, Go2rtc, Client, Written, NullLogger<StreamSync>.Instance, Clock);
        }

        /// <summary>go2rtc started with what the config source gave it, and says so.</summary>
        public void Go2rtcStarted(int generation)
        {
            foreach (var (name, sources) in Written.For(Go2rtcVersion.Parse("1.9.14")!).Sources)
                Client.SetStream(name, 0, [.. sources]);
            Go2rtc.Publish(FakeGo2rtc.Ready(generation));
        }

        public async ValueTask DisposeAsync()
        {
            await Sync.StopAsync(CancellationToken.None);
            Cameras.Dispose();
            Dir.Dispose();
        }
    }

    private const string TwoCameras = "cameras:\n  - name: front\n    url: rtsp://10.0.0.5/a\n  - name: back\n    url: rtsp://10.0.0.6/b\n";

    [Test]
    public async Task A_new_generation_is_verified_without_a_call_back_and_the_written_streams_need_no_put()
    {
        await using var rig = new Rig(TwoCameras);
        await rig.Sync.StartAsync(CancellationToken.None);
        await Assert.That(rig.Sync.State.Desired).IsNull(); // go2rtc not ready: nothing planned
        rig.Go2rtcStarted(generation: 1);
        await Wait.Until(() => rig.Sync.State.States.Count == 2 && rig.Sync.State.States.Values.All(s => s.Registered),
            TimeSpan.FromSeconds(10), "both streams registered");
        await Assert.That(rig.Client.Calls.Where(c => c.StartsWith("put"))).IsEmpty();
        await Assert.That(rig.Sync.State.LastRegistrationMs).IsNotNull();
    }

    [Test]
    public async Task A_go2rtc_that_lost_a_stream_gets_it_back_at_its_next_generation()
    {
        await using var rig = new Rig(TwoCameras);
        await rig.Sync.StartAsync(CancellationToken.None);
        rig.Go2rtcStarted(generation: 1);
        await Wait.Until(() => rig.Sync.State.States.Count == 2, TimeSpan.FromSeconds(10), "first pass");
        // An in-place restart that came back without "back": the sync sees generation 2 and puts it again.
        await rig.Client.DeleteStreamAsync("back", CancellationToken.None);
        rig.Go2rtc.Publish(FakeGo2rtc.Ready(generation: 2));
        await Wait.Until(() => rig.Client.Calls.Contains("put back"), TimeSpan.FromSeconds(10), "back put again");
        await Assert.That(rig.Client.Calls.Count(c => c == "put front")).IsEqualTo(0);
    }

    [Test]
    public async Task A_stream_removed_behind_its_back_returns_at_the_sixty_second_pass_and_not_before()
    {
        await using var rig = new Rig(TwoCameras);
        await rig.Sync.StartAsync(CancellationToken.None);
        rig.Go2rtcStarted(generation: 1);
        await Wait.Until(() => rig.Sync.State.States.Count == 2, TimeSpan.FromSeconds(10), "first pass");
        await rig.Client.DeleteStreamAsync("front", CancellationToken.None);
        rig.Clock.Advance(StreamSync.Period - TimeSpan.FromSeconds(1));
        await Task.Yield();
        await Assert.That(rig.Client.Calls).DoesNotContain("put front");
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        await Wait.Until(() => rig.Client.Calls.Contains("put front"), TimeSpan.FromSeconds(10), "the periodic pass");
    }
}
