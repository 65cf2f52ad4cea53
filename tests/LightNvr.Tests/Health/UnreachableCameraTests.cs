using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LightNvr.Go2rtc;
using LightNvr.Health;
using LightNvr.Streams;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Health;

/// <summary>A camera go2rtc cannot dial is "unreachable" with go2rtc's reason, kept across re-registrations until bytes flow.</summary>
public class UnreachableCameraTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Refused = "streams: dial tcp 10.0.0.5:554: connect: connection refused";
    private static readonly LivenessOptions Options = new(TimeSpan.FromSeconds(120));

    // Samples "seconds:bytes[:r]" (r: go2rtc reported the dial error by then; R: re-registered at that second).
    [Test]
    [Arguments("0:0:r", Liveness.Unreachable)]
    [Arguments("0:0 30:0:r", Liveness.Unreachable)]                                // within the warm-up: go2rtc's word is enough
    [Arguments("0:0:r 30:0:rR 60:0:rR 90:0:R 120:0:R 150:0:R 180:0:R", Liveness.Unreachable)] // never back to starting or stalled
    [Arguments("0:0:r 30:0:R 60:500", Liveness.Live)]                              // bytes flow: live, whatever was reported
    [Arguments("0:0:r 30:0:R 60:500:r", Liveness.Live)]                            // a stale report does not beat flowing bytes
    [Arguments("0:100 30:200 60:200:r", Liveness.Live)]                            // a live stream goes through stall detection first
    [Arguments("0:0:r 30:idle", Liveness.Idle)]                                    // nobody watching: never failed
    public async Task Dial_errors_make_and_keep_a_camera_unreachable(string samples, Liveness expected)
    {
        StreamLivenessState? state = null;
        var registeredAt = T0;
        var seen = new List<Liveness>();
        foreach (var s in samples.Split(' '))
        {
            var parts = s.Split(':');
            var now = T0.AddSeconds(int.Parse(parts[0]));
            var flags = parts.Length > 2 ? parts[2] : "";
            if (flags.Contains('R')) registeredAt = now;
            var watched = parts[1] != "idle";
            var sample = watched ? new StreamSample(true, 1, long.Parse(parts[1])) : StreamSample.Missing;
            state = StreamLiveness.Next(state, sample, watched, registeredAt, now, Options, flags.Contains('r') ? Refused : null);
            seen.Add(state.State);
        }
        await Assert.That(state!.State).IsEqualTo(expected);
        if (expected == Liveness.Unreachable)
        {
            await Assert.That(state.Why).IsEqualTo(Refused);
            await Assert.That(seen.Skip(1)).DoesNotContain(Liveness.Starting);
            await Assert.That(seen).DoesNotContain(Liveness.Stalled);
        }
    }

    [Test]
    [Arguments("go2rtc answered 500: streams: dial tcp 10.0.0.5:554: i/o timeout", "streams: dial tcp 10.0.0.5:554: i/o timeout")]
    [Arguments("go2rtc answered 500: streams: dial tcp 127.0.0.1:1: connect: connection refused", "streams: dial tcp 127.0.0.1:1: connect: connection refused")]
    [Arguments("go2rtc answered 500: streams: dial tcp: lookup cam.invalid: no such host", "streams: dial tcp: lookup cam.invalid: no such host")]
    [Arguments("go2rtc answered 500: streams: codecs not matched: video:H265 => video:H264", null)] // reached, then refused: not a dial error
    [Arguments("go2rtc did not answer in time", null)]                                              // says nothing about the camera
    [Arguments(null, null)]
    public async Task Only_dial_failures_count_and_go2rtc_s_words_are_kept(string? error, string? reason) =>
        await Assert.That(DialFailure.Reason(error)).IsEqualTo(reason);

    [Test]
    public async Task Credentials_in_go2rtc_s_reason_are_removed()
    {
        var reason = DialFailure.Reason("go2rtc answered 500: streams: dial tcp rtsp://admin:hunter22@10.0.0.5:554/s: i/o timeout");
        await Assert.That(reason!).DoesNotContain("hunter22");
        await Assert.That(reason!).Contains("i/o timeout");
    }

    [Test]
    [NotInParallel("go2rtc-lifecycle")]
    public async Task An_offline_camera_is_unreachable_on_the_page_and_in_health_until_it_comes_back()
    {
        Go2rtcBinary.RequireStandIn();
        var port = Ports.Free(); // nothing listens yet: go2rtc's dial is refused
        await using var app = new AppHarness($"cameras:\n  - name: porch\n    url: rtsp://admin:hunter22@127.0.0.1:{port}/live\n")
            .WithPassword("unreachable-camera");
        app.Config.Health.WarmUpSeconds = 1;
        app.Config.Health.PeriodMs = 200;
        await app.Start();
        await app.WaitReady();
        using var http = app.AuthedHttp();

        async Task<(string State, string? Why)> Porch()
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/health"));
            var s = doc.RootElement.GetProperty("streams").EnumerateArray().FirstOrDefault(x => x.GetProperty("name").GetString() == "porch");
            return s.ValueKind == JsonValueKind.Undefined ? ("none", null)
                : (s.GetProperty("state").GetString()!.ToLowerInvariant(), s.GetProperty("why").GetString());
        }

        var why = await Wait.Until(async () => await Porch() is { State: "unreachable" } p ? p.Why ?? "" : null,
            TimeSpan.FromSeconds(30), "porch unreachable");
        await Assert.That(why!).Contains($"dial tcp 127.0.0.1:{port}");
        await Assert.That(why!).DoesNotContain("hunter22");
        var page = await http.GetStringAsync("/");
        await Assert.That(page).Contains("unreachable");
        await Assert.That(page).Contains($"dial tcp 127.0.0.1:{port}");

        // Re-registered (by hand here; the health loop does the same to retry): a new registration that would
        // pass through "starting" and, bytes staying flat, "stalled". Every health tick until the warm-up and the
        // stall detection after it are over keeps it unreachable instead.
        var before = app.Sync.States["porch"].Since;
        using (var rereg = await http.PostAsync("/api/streams/porch/reregister", null))
            await Assert.That((int)rereg.StatusCode).IsEqualTo(200);
        await Wait.Until(() => app.Sync.States["porch"].Since != before, TimeSpan.FromSeconds(10), "porch registered anew");
        var registered = app.Sync.States["porch"].Since;
        var judged = registered + TimeSpan.FromSeconds(app.Config.Health.WarmUpSeconds)
            + TimeSpan.FromMilliseconds(app.Config.Health.PeriodMs) * (LivenessOptions.Default.StallAfter + 2);
        var health = app.App.Services.GetRequiredService<HealthLoop>();
        var ticks = new SortedDictionary<DateTimeOffset, Liveness>();
        await Wait.Until(() =>
        {
            var s = health.Snapshot;
            if (s.At > registered) ticks[s.At] = s.Streams.Single(x => x.Name == "porch").State;
            return s.At >= judged;
        }, TimeSpan.FromSeconds(30), "health ticks past the new registration's warm-up and stall detection");
        await Assert.That(ticks.Values.Distinct()).IsEquivalentTo([Liveness.Unreachable]).Because(string.Join(", ", ticks.Values));
        await Assert.That((await Porch()).State).IsEqualTo("unreachable");

        // The camera comes back: the next registration's preload connects and bytes flow.
        using var camera = new TcpListener(IPAddress.Loopback, port);
        camera.Start();
        using (var rereg = await http.PostAsync("/api/streams/porch/reregister", null))
            await Assert.That((int)rereg.StatusCode).IsEqualTo(200);
        await Wait.Until(async () => await Porch() is { State: "live" } ? "" : null, TimeSpan.FromSeconds(20), "porch live again");
    }
}
