namespace LightNvr.Recording;

/// <summary>
/// One recording camera's state word: <c>recording</c>, <c>offline</c> (go2rtc gave no media; the gap is in the
/// index), <c>disk-full</c>, <c>read-only</c>, <c>write-error</c>, <c>disk-gone</c> (record.dir missing: an unmounted disk).
/// </summary>
public sealed record CameraRecording(string Camera, string State, string? Error, DateTimeOffset Since,
    IReadOnlyList<string> Writing, long Segments, long Bytes)
{
    public const string Recording = "recording", Offline = "offline", DiskGone = "disk-gone";

    public static CameraRecording Starting(string camera, DateTimeOffset at) => new(camera, Recording, null, at, [], 0, 0);

    /// <summary>The same camera in <paramref name="state"/>; <see cref="Since"/> moves only when the word or the error changes.</summary>
    public CameraRecording With(string state, string? error, DateTimeOffset at) =>
        state == State && error == Error ? this : this with { State = state, Error = error, Since = at };
}

/// <summary>What the recorder publishes: the record directory and every recording camera.</summary>
public sealed record RecordingStatus(string Dir, IReadOnlyDictionary<string, CameraRecording> Cameras)
{
    public static RecordingStatus Empty(string dir) => new(dir, new Dictionary<string, CameraRecording>());

    public RecordingStatus Set(CameraRecording c) => this with { Cameras = new Dictionary<string, CameraRecording>(Cameras) { [c.Camera] = c } };

    public RecordingStatus Without(string camera)
    {
        var next = new Dictionary<string, CameraRecording>(Cameras);
        next.Remove(camera);
        return this with { Cameras = next };
    }

    /// <summary>The .partial files being written now: listed as "recording", every other .partial as "partial" (cut by a crash or a stop).</summary>
    public bool IsWriting(string fullPath) => Cameras.Values.Any(c => c.Writing.Contains(fullPath));
}
