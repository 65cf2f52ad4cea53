namespace LightNvr.Go2rtc;

/// <summary>
/// One spawned go2rtc and what its output has told us so far. The output callback runs on the pipe
/// reader's thread; it only completes promises, and the supervisor's loop acts on them.
/// </summary>
internal sealed class Go2rtcRun(int apiPort, LogSink sink)
{
    private readonly TaskCompletionSource _apiListening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _listenFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _reExec = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _banners;

    public IGo2rtcProcess Process { get; set; } = null!;
    public long SpawnedAt { get; set; }
    public Task ApiListening => _apiListening.Task;
    /// <summary>An <c>ERR [api|rtsp] listen</c> line: go2rtc runs on, crippled, so the supervisor must stop it.</summary>
    public Task<string> ListenFailed => _listenFailed.Task;
    /// <summary>Completes when the banner appears again: an in-place <c>/api/restart</c> (same PID).</summary>
    public Task ReExecuted => Volatile.Read(ref _reExec).Task;

    /// <summary>Called once the re-exec was handled, to watch for the next one.</summary>
    public void ArmReExec() => Volatile.Write(ref _reExec, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void OnLine(string line, bool isStderr)
    {
        sink.Write(line, isStderr);
        switch (LogLine.Parse(line))
        {
            case LogEvent.Banner when Interlocked.Increment(ref _banners) > 1:
                Volatile.Read(ref _reExec).TrySetResult();
                break;
            case LogEvent.Listening { Module: "api" } l when PortOf(l.Address) == apiPort:
                _apiListening.TrySetResult();
                break;
            case LogEvent.ListenFailed { Module: "api" or "rtsp" } f:
                _listenFailed.TrySetResult($"[{f.Module}] {f.Error}");
                break;
        }
    }

    private static int? PortOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon >= 0 && int.TryParse(address.AsSpan(colon + 1), out var port) ? port : null;
    }
}
