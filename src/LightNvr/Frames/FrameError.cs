namespace LightNvr.Frames;

public enum FrameErrorKind { CameraUnreachable, NoKeyframe, NotJpeg, TooLarge, UnknownStream, Go2rtcError, Restarting }

/// <summary>Why no frame: a distinct word per cause, and the HTTP status our endpoint answers with.</summary>
public sealed record FrameError(FrameErrorKind Kind, string Detail)
{
    public string Code => Kind switch
    {
        FrameErrorKind.CameraUnreachable => "camera-unreachable",
        FrameErrorKind.NoKeyframe => "no-keyframe",
        FrameErrorKind.NotJpeg => "not-jpeg",
        FrameErrorKind.TooLarge => "too-large",
        FrameErrorKind.UnknownStream => "unknown-stream",
        FrameErrorKind.Restarting => "go2rtc-restarting",
        _ => "go2rtc-error",
    };

    public int Status => Kind switch
    {
        FrameErrorKind.UnknownStream => 404,
        FrameErrorKind.NoKeyframe => 504,
        FrameErrorKind.Restarting => 503,
        _ => 502,
    };

    public override string ToString() => Kind == FrameErrorKind.Go2rtcError ? $"{Code}: {Detail}" : Code;
}

/// <summary>One snapshot: the JPEG, or why there is none.</summary>
public sealed record FrameResult(byte[]? Jpeg, FrameError? Error, DateTimeOffset At);
