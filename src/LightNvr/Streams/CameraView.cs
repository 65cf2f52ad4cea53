using LightNvr.Config;
using LightNvr.Logging;

namespace LightNvr.Streams;

/// <summary>A camera as the JSON API shows it: never a password, only whether one is set.</summary>
public sealed record CameraView(
    string Name, string Url, string? Username, bool PasswordSet, string? SubUrl, bool Enabled, bool Watch,
    bool? Backchannel, int? Timeout, string? Media, string? Transport, string? Video, string? Audio, string? Hardware,
    bool Preload, string State, string? Error, string? Warning, IReadOnlyList<string> Go2rtcSources, DetectView? Detect = null,
    bool Record = false)
{
    public static CameraView Of(Camera c, StreamSync sync)
    {
        var state = sync.States.GetValueOrDefault(c.Name);
        var (word, error) = !c.Enabled ? ("disabled", null)
            : state is null ? ("pending", null)
            : state.Registered ? ("registered", null)
            : ("error", state.Error);
        var sources = sync.Desired?.Streams.TryGetValue(c.Name, out var d) == true ? d.Redacted : [];
        return new CameraView(c.Name, Redactor.Redact(c.Url), c.Username, !string.IsNullOrEmpty(c.Password),
            c.SubUrl is null ? null : Redactor.Redact(c.SubUrl), c.Enabled, c.Watch, c.Backchannel, c.Timeout, c.Media,
            c.Transport, c.Video, c.Audio, c.Hardware, c.Preload, word, error, state?.Warning, sources, DetectView.Of(c.Detect), c.Record);
    }
}

/// <summary><c>GET /api/streams</c>: the cameras, plus what is wrong in streams.yaml (refused cameras included).</summary>
public sealed record CameraListView(IReadOnlyList<CameraView> Cameras, IReadOnlyList<string> FileErrors, IReadOnlyList<string> Unavailable);

/// <summary>A camera's detect: settings as the API shows them: URLs redacted (they may hold a password).</summary>
public sealed record DetectView(string Url, int IntervalMs, double? Threshold, IReadOnlyList<string> Labels, string? Webhook)
{
    public static DetectView? Of(DetectSettings? d) => d is null ? null
        : new(Redactor.Redact(d.Url), d.IntervalMs, d.ThresholdValue(), d.Labels, d.Webhook is null ? null : Redactor.Redact(d.Webhook));
}
