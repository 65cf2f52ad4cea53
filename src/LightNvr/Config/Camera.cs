using YamlDotNet.Serialization;

namespace LightNvr.Config;

// The shape of streams.yaml, the appliance's camera list (the Streams folder owns its rules and its file; the shape lives
// here because the assembly's one YAML context knows every file shape). A file beside lightnvr.yaml, mode 0600:
// it holds camera passwords. Settable properties because YamlDotNet's static generator needs them;
// nothing mutates a camera after StreamsFile hands it out.
//
//   cameras:
//     - name: front_door
//       url: rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=0
//       username: admin
//       password: "p@ss#1"
//       sub_url: rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=1
//       transport: tcp
//       backchannel: false

[YamlSerializable]
public sealed class StreamsDocument
{
    public List<Camera> Cameras { get; set; } = [];
}

[YamlSerializable]
public sealed class Camera
{
    /// <summary>go2rtc stream name and RTSP path: <c>[a-z0-9_-]{1,64}</c>, not ending in <c>_sub</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The camera's URL without credentials and without any <c>#</c> parameter.</summary>
    public string Url { get; set; } = "";

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>A second, lower-resolution stream, registered as <c>&lt;name&gt;_sub</c>: video only, no backchannel.</summary>
    public string? SubUrl { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Watched by the health checker: its stream's liveness counts, and a stalled stream is healed.</summary>
    public bool Watch { get; set; } = true;

    // go2rtc parameters from a fixed set; the URL itself may carry none: a '#' in a camera URL would
    // smuggle go2rtc parameters (exec, echo) past the rules.

    /// <summary>Two-way audio; null = go2rtc's default (on only when no other parameter is given).</summary>
    public bool? Backchannel { get; set; }

    /// <summary>RTSP dial and read timeout in seconds.</summary>
    public int? Timeout { get; set; }

    /// <summary><c>video</c>, <c>audio</c> or <c>video,audio</c>.</summary>
    public string? Media { get; set; }

    /// <summary><c>tcp</c> or <c>udp</c>.</summary>
    public string? Transport { get; set; }

    /// <summary>ffmpeg video transcode target(s), e.g. <c>h264</c> (comma-separated for several).</summary>
    public string? Video { get; set; }

    /// <summary>ffmpeg audio transcode target(s), e.g. <c>opus</c> or <c>aac,opus</c>.</summary>
    public string? Audio { get; set; }

    /// <summary>Hardware encoding for the video transcode: <c>true</c> (auto) or an engine such as <c>vaapi</c>.</summary>
    public string? Hardware { get; set; }

    /// <summary>Keep the producer connected without viewers (go2rtc ≥ 1.9.11).</summary>
    public bool Preload { get; set; }

    /// <summary>Recorded into MP4 segments under <c>record.dir</c> of lightnvr.yaml while enabled; off unless asked for.</summary>
    public bool Record { get; set; }

    /// <summary>Object detection settings; null = no detection.</summary>
    public DetectSettings? Detect { get; set; }
}

[YamlSerializable]
public sealed class DetectSettings
{
    /// <summary>The detector's HTTP endpoint.</summary>
    public string Url { get; set; } = "";

    public int IntervalMs { get; set; } = 1000;

    /// <summary>
    /// Minimum score, 0..1, written as a plain number (<c>threshold: 0.5</c>). Held as text because
    /// the shared YAML shape check knows text, whole numbers and booleans only; <see cref="ThresholdValue"/>
    /// is the number. The file format is the same either way.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ThresholdJson))]
    public string Threshold { get; set; } = "0.5";

    public List<string> Labels { get; set; } = [];

    /// <summary>Optional URL called with each detection.</summary>
    public string? Webhook { get; set; }

    /// <summary>The threshold as a number; null when it is not one (CameraRules reports it).</summary>
    public double? ThresholdValue() =>
        double.TryParse(Threshold, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
        && double.IsFinite(v) ? v : null;
}
