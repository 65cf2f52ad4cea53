namespace LightNvr.Board;

/// <summary>What a person did with the reset button.</summary>
public enum Gesture
{
    /// <summary>Released before <see cref="GestureTimes.ShortMax"/>: restart go2rtc.</summary>
    ShortPress,
    /// <summary>Released between the short-press limit and the arming time: nothing is done (said so).</summary>
    LongPress,
    /// <summary>Held to the arming time: the LED shows it; a release now resets.</summary>
    Armed,
    /// <summary>Released while armed: factory reset.</summary>
    FactoryReset,
    /// <summary>Held past the arming window: nothing will happen on release.</summary>
    Cancelled,
}

/// <param name="Debounce">A level must hold this long to count; shorter flips are contact bounce.</param>
public sealed record GestureTimes(TimeSpan Debounce, TimeSpan ShortMax, TimeSpan ArmAt, TimeSpan CancelAt)
{
    public static GestureTimes Default { get; } = new(TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));
}

/// <param name="Held">How long the button had been held when the gesture was recognised.</param>
public sealed record GestureEvent(Gesture Kind, TimeSpan Held, DateTimeOffset At);

/// <summary>The button as the machine sees it. <c>PressedAt</c> null = idle; <c>ReleasedAt</c> set = a release waiting out the debounce.</summary>
public sealed record ButtonState(DateTimeOffset? PressedAt, DateTimeOffset? ReleasedAt, bool Armed, bool Cancelled)
{
    public static ButtonState Idle { get; } = new(null, null, false, false);

    /// <summary>When the machine must be shown the time again (<see cref="ButtonGestures.Tick"/>) even if no edge comes.</summary>
    public DateTimeOffset? NextDeadline(GestureTimes t) => this switch
    {
        { PressedAt: null } => null,
        { ReleasedAt: { } released } => released + t.Debounce,
        { Cancelled: true } => null,
        { Armed: true, PressedAt: { } p } => p + t.CancelAt,
        { PressedAt: { } p } => p + t.ArmAt,
    };
}

/// <summary>
/// The reset button's gestures: a pure machine over (edge, time) and (tick, time). Debounce comes from
/// the edges' own timestamps: a release only counts once no press follows it within the debounce time,
/// so a bouncing contact is one press, and a blip shorter than the debounce time is no press at all.
/// </summary>
public static class ButtonGestures
{
    public static (ButtonState State, IReadOnlyList<GestureEvent> Events) Edge(ButtonState s, bool pressed, DateTimeOffset at, GestureTimes t)
    {
        var events = new List<GestureEvent>();
        s = Settle(s, at, t, events);
        if (pressed)
        {
            if (s.PressedAt is null) s = s with { PressedAt = at };
            else if (s.ReleasedAt is not null) s = s with { ReleasedAt = null }; // a bounce: the press goes on
        }
        else if (s.PressedAt is not null && s.ReleasedAt is null) s = s with { ReleasedAt = at };
        // A release with no press seen (held since before we started watching) means nothing.
        return (s, events);
    }

    public static (ButtonState State, IReadOnlyList<GestureEvent> Events) Tick(ButtonState s, DateTimeOffset now, GestureTimes t)
    {
        var events = new List<GestureEvent>();
        return (Settle(s, now, t, events), events);
    }

    /// <summary>Applies every deadline that has passed by <paramref name="now"/>, in order.</summary>
    private static ButtonState Settle(ButtonState s, DateTimeOffset now, GestureTimes t, List<GestureEvent> events)
    {
        if (s.PressedAt is not { } pressed) return s;
        var heldUntil = s.ReleasedAt ?? now;
        if (!s.Armed && !s.Cancelled && heldUntil - pressed >= t.ArmAt)
        {
            s = s with { Armed = true };
            events.Add(new GestureEvent(Gesture.Armed, t.ArmAt, pressed + t.ArmAt));
        }
        if (s.Armed && !s.Cancelled && heldUntil - pressed >= t.CancelAt)
        {
            s = s with { Armed = false, Cancelled = true };
            events.Add(new GestureEvent(Gesture.Cancelled, t.CancelAt, pressed + t.CancelAt));
        }
        if (s.ReleasedAt is { } released && now - released >= t.Debounce)
        {
            var held = released - pressed;
            var kind = s.Cancelled || held < t.Debounce ? (Gesture?)null
                : s.Armed ? Gesture.FactoryReset
                : held < t.ShortMax ? Gesture.ShortPress
                : Gesture.LongPress;
            if (kind is { } k) events.Add(new GestureEvent(k, held, released));
            s = ButtonState.Idle;
        }
        return s;
    }
}
