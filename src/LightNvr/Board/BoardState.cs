namespace LightNvr.Board;

/// <summary>
/// What the board's services know right now (the LED's driver, the button's last gesture, the console's
/// line), for the status page, the console's <c>status</c> and the LED. Written by those services only.
/// </summary>
public sealed class BoardState
{
    private TaskCompletionSource _changed = NewSignal();
    private volatile bool _resetArmed;

    public string LedDevice { get; set; } = "none";
    public string ButtonDevice { get; set; } = "none";
    public string ConsoleDevice { get; set; } = "none";
    /// <summary>The last gesture in words with its time, or <see cref="BoardView.NoPress"/>.</summary>
    public string LastGesture { get; set; } = BoardView.NoPress;

    /// <summary>The reset button has been held past the arming time and not yet released or cancelled.</summary>
    public bool ResetArmed
    {
        get => _resetArmed;
        set
        {
            if (_resetArmed == value) return;
            _resetArmed = value;
            Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        }
    }

    /// <summary>Completes at the next change that must show on the LED at once (not at its next step).</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
