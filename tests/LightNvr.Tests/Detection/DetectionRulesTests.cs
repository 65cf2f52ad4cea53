using LightNvr.Detection;
using LightNvr.Frames;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Detection;

public class DetectionRulesTests
{
    private static readonly Box Person = new(0.1, 0.2, 0.5, 0.9);

    [Test]
    [Arguments("""{"detections":[{"label":"person","confidence":0.91,"bounding_box":{"x_min":0.1,"y_min":0.2,"x_max":0.5,"y_max":0.9}}]}""")]
    [Arguments("""{"detections":[{"label":"person","confidence":0.91,"x_min":0.1,"y_min":0.2,"x_max":0.5,"y_max":0.9}]}""")]
    [Arguments("""{"detections":[{"label":"person","confidence":0.91,"bounding_box":{"x_min":32,"y_min":48,"x_max":160,"y_max":216}}],"count":1}""")]
    [Arguments("""{"detections":[{"label":"person","confidence":0.91,"x_min":32.0,"y_min":48.0,"x_max":160.0,"y_max":216.0}]}""")]
    [Arguments("""{"detections":[{"label":"person","confidence":0.91,"bounding_box":{"x_min":160,"y_min":216,"x_max":32,"y_max":48}}]}""")]
    public async Task Nested_flat_pixel_and_normalized_answers_give_the_same_normalized_box(string json)
    {
        var parsed = DetectorReply.Parse(json, 320, 240);
        await Assert.That(parsed.Error).IsNull();
        await Assert.That(parsed.Detections!.Single()).IsEqualTo(new LightNvr.Detection.Detection("person", 0.91, Person));
    }

    [Test]
    [Arguments("""{"detections": [ {"label": "person", """, "not JSON")]
    [Arguments("""[]""", "expected an object with a \"detections\" list")]
    [Arguments("""{"objects":[]}""", "expected an object with a \"detections\" list")]
    [Arguments("""{"detections":{}}""", "\"detections\" is not a list")]
    [Arguments("""{"detections":[1]}""", "detections[0] is not an object")]
    [Arguments("""{"detections":[{"confidence":0.9,"x_min":0,"y_min":0,"x_max":1,"y_max":1}]}""", "detections[0].label is missing")]
    [Arguments("""{"detections":[{"label":"car","x_min":0,"y_min":0,"x_max":1,"y_max":1}]}""", "detections[0].confidence is missing")]
    [Arguments("""{"detections":[{"label":"car","confidence":0.9,"bounding_box":{"x_min":0,"y_min":0,"x_max":1}}]}""", "detections[0]: y_max is missing")]
    [Arguments("""{"detections":[{"label":"car","confidence":0.9,"x_min":"0","y_min":0,"x_max":1,"y_max":1}]}""", "detections[0]: x_min is missing")]
    public async Task Malformed_answers_are_errors_that_say_what_is_wrong(string json, string reason)
    {
        var parsed = DetectorReply.Parse(json, 320, 240);
        await Assert.That(parsed.Detections).IsNull();
        await Assert.That(parsed.Error).StartsWith("malformed answer: ");
        await Assert.That(parsed.Error!).Contains(reason);
    }

    [Test]
    public async Task Pixel_boxes_need_the_frame_size_and_are_clamped_to_the_frame()
    {
        const string json = """{"detections":[{"label":"car","confidence":0.5,"x_min":-10,"y_min":0,"x_max":400,"y_max":120}]}""";
        await Assert.That(DetectorReply.Parse(json, 0, 0).Error).IsEqualTo("malformed answer: pixel coordinates, but the frame's size is unknown");
        await Assert.That(DetectorReply.Parse(json, 320, 240).Detections!.Single().Box).IsEqualTo(new Box(0, 0, 1, 0.5));
        await Assert.That(DetectorReply.Parse("""{"detections":null}""", 0, 0).Detections!.Count).IsEqualTo(0);
        await Assert.That(DetectorReply.Parse("""{"detections":[]}""", 0, 0).Detections!.Count).IsEqualTo(0);
    }

    [Test]
    [Arguments(0.5, "", "person,car")]
    [Arguments(0.5, "person", "person")]
    [Arguments(0.5, "PERSON,dog", "person")]
    [Arguments(0.3, "dog,car", "car,dog")]
    [Arguments(0.95, "", "")]
    [Arguments(0.0, "bicycle", "")]
    public async Task Only_labels_of_interest_at_or_above_the_threshold_are_kept(double threshold, string labels, string expected)
    {
        LightNvr.Detection.Detection[] seen = [new("person", 0.91, Person), new("car", 0.5, Person), new("dog", 0.3, Person)];
        var kept = FeedRules.OfInterest(seen, threshold, labels.Split(',', StringSplitOptions.RemoveEmptyEntries));
        await Assert.That(string.Join(",", kept.Select(d => d.Label))).IsEqualTo(expected);
    }

    [Test]
    [Arguments(0, 1000, 0)]
    [Arguments(1, 1000, 1000)]
    [Arguments(2, 1000, 2000)]
    [Arguments(3, 1000, 4000)]
    [Arguments(6, 1000, 32000)]
    [Arguments(7, 1000, 60000)]
    [Arguments(1000, 1000, 60000)]
    [Arguments(1, 200, 1000)]
    [Arguments(2, 200, 2000)]
    [Arguments(1, 5000, 5000)]
    [Arguments(5, 5000, 60000)]
    public async Task Backoff_doubles_from_the_interval_and_is_capped(int failures, int intervalMs, int expectedMs)
    {
        var delay = FeedRules.Backoff(failures, TimeSpan.FromMilliseconds(intervalMs), TimeSpan.FromSeconds(60));
        await Assert.That(delay).IsEqualTo(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Test]
    [Arguments(0, 1000, 1000, 0)]
    [Arguments(300, 1000, 700, 0)]
    [Arguments(999, 1000, 1, 0)]
    [Arguments(1000, 1000, 1000, 1)]
    [Arguments(2500, 1000, 500, 2)]
    [Arguments(10_000, 200, 200, 50)]
    [Arguments(-5, 1000, 1000, 0)]
    public async Task A_slow_round_skips_the_ticks_inside_it_and_waits_for_the_next(int elapsedMs, int intervalMs, int waitMs, int skipped)
    {
        var result = FeedRules.AfterRound(TimeSpan.FromMilliseconds(elapsedMs), TimeSpan.FromMilliseconds(intervalMs));
        await Assert.That(result).IsEqualTo((TimeSpan.FromMilliseconds(waitMs), skipped));
    }

    [Test]
    [Arguments("http://d:8000/api/v1/detect", 0.5, "http://d:8000/api/v1/detect?backend=onnx&confidence_threshold=0.5&return_image=false")]
    [Arguments("http://d/detect?model=x", 0.25, "http://d/detect?model=x&backend=onnx&confidence_threshold=0.25&return_image=false")]
    [Arguments("https://d/detect", 1.0, "https://d/detect?backend=onnx&confidence_threshold=1&return_image=false")]
    public async Task The_request_follows_the_light_object_detect_contract(string url, double threshold, string expected) =>
        await Assert.That(FeedRules.RequestUrl(url, threshold)).IsEqualTo(expected);

    [Test]
    public async Task The_event_history_is_bounded_and_newest_first()
    {
        var log = new EventLog(capacity: 3);
        var t0 = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < 5; i++) log.Add([new DetectionEvent(t0.AddSeconds(i), "cam", "person", 0.9, Person)]);
        await Assert.That(log.Newest(10).Select(e => e.Time.ToUnixTimeSeconds())).IsEquivalentTo(new long[] { 4, 3, 2 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(log.Newest(1).Single().Time.ToUnixTimeSeconds()).IsEqualTo(4);
    }

    [Test]
    public async Task The_stand_in_frame_is_read_as_320_by_240_from_its_frame_header() =>
        await Assert.That(JpegCheck.Inspect(File.ReadAllBytes(Repo.PathOf("tests", "Go2rtcStandIn", "frame.jpg")))).IsEqualTo(new JpegCheck.Info(320, 240));
}
