using LightNvr.Go2rtc;
using LightNvr.Health;

namespace LightNvr.Tests.Health;

public class StreamLivenessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Samples "seconds:bytes" after a registration at 0 s; bytes may be "missing", "noprod", "idle"
    // (unwatched) or "rereg" (registered again at that second, bytes 0). Warm-up 120 s, 3 flat samples.
    [Test]
    [Arguments("0:100", Liveness.Starting)]
    [Arguments("0:100 30:100 60:100 90:100 119:100", Liveness.Starting)]                  // warm-up suppresses the stall
    [Arguments("0:100 30:100 60:100 90:100 120:100 150:100", Liveness.Starting)]          // 2 flat after warm-up
    [Arguments("0:100 30:100 60:100 90:100 120:100 150:100 180:100", Liveness.Stalled)]   // 3 flat after warm-up
    [Arguments("0:100 130:100 160:100 190:100", Liveness.Stalled)]
    [Arguments("0:100 30:200", Liveness.Live)]
    [Arguments("0:100 30:200 130:200 160:200", Liveness.Live)]
    [Arguments("0:100 30:200 130:200 160:200 190:200", Liveness.Stalled)]
    [Arguments("0:100 130:100 160:100 190:100 220:150", Liveness.Live)]                   // recovers when bytes rise
    [Arguments("0:100 130:100 160:100 190:5", Liveness.Starting)]                         // bytes down: a reset, not a stall
    [Arguments("0:100 130:100 160:100 190:5 220:5 250:5 280:5", Liveness.Starting)]       // ... and a fresh warm-up
    [Arguments("0:100 130:100 160:100 190:5 220:5 250:5 280:5 310:5 340:5 370:5", Liveness.Stalled)]
    [Arguments("0:100 30:missing", Liveness.Error)]
    [Arguments("0:100 30:noprod", Liveness.Error)]
    [Arguments("0:100 30:missing 60:100", Liveness.Starting)]
    [Arguments("0:100 30:idle", Liveness.Idle)]
    [Arguments("0:idle 130:idle 160:idle 190:idle 220:idle", Liveness.Idle)]              // unwatched: never failed
    [Arguments("0:missing 130:idle", Liveness.Idle)]
    [Arguments("0:idle 300:100 330:100 360:100 390:100", Liveness.Starting)]             // watched from 300: warm-up from then
    [Arguments("0:100 130:100 160:100 190:100 200:rereg", Liveness.Starting)]             // re-registration resets
    [Arguments("0:100 130:100 160:100 200:rereg 230:0 260:0 290:0", Liveness.Starting)]
    public async Task Samples_fold_into_a_state(string samples, Liveness expected)
    {
        var s = Run(samples);
        await Assert.That(s.State).IsEqualTo(expected);
    }

    [Test]
    public async Task Stalled_and_error_say_why_and_since_when()
    {
        var stalled = Run("0:100 130:100 160:100 190:100 220:100");
        await Assert.That(stalled.Why).IsEqualTo("no new bytes for 4 samples");
        await Assert.That(stalled.Since).IsEqualTo(T0.AddSeconds(190));
        await Assert.That(Run("0:100 30:missing").Why).IsEqualTo("stream missing from go2rtc");
        await Assert.That(Run("0:100 30:noprod").Why).IsEqualTo("go2rtc reports no producer");
    }

    [Test]
    public async Task A_sample_comes_from_the_streams_api()
    {
        await Assert.That(StreamSample.From(null)).IsEqualTo(StreamSample.Missing);
        await Assert.That(StreamSample.From(new ObservedStream(["rtsp://a", "ffmpeg:x"], 42, 1))).IsEqualTo(new StreamSample(true, 2, 42));
    }

    private static StreamLivenessState Run(string samples)
    {
        StreamLivenessState? state = null;
        var registeredAt = T0;
        foreach (var token in samples.Split(' '))
        {
            var parts = token.Split(':');
            var now = T0.AddSeconds(int.Parse(parts[0]));
            var watched = parts[1] != "idle";
            if (parts[1] == "rereg") registeredAt = now;
            var sample = parts[1] switch
            {
                "missing" => StreamSample.Missing,
                "noprod" => new StreamSample(true, 0, 0),
                "idle" => new StreamSample(true, 1, 0),
                "rereg" => new StreamSample(true, 1, 0),
                var b => new StreamSample(true, 1, long.Parse(b)),
            };
            state = StreamLiveness.Next(state, sample, watched, registeredAt, now);
        }
        return state!;
    }
}
