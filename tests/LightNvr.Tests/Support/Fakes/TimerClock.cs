using Microsoft.Extensions.Time.Testing;

namespace LightNvr.Tests.Support.Fakes;

/// <summary>
/// A fake clock that also tells when each of its timers is due: a test advances it only once the loop
/// under test is really waiting (a timer armed a moment after an advance would miss it).
/// </summary>
internal sealed class TimerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Armed> _armed = [];

    /// <summary>When the armed timers fire, earliest first.</summary>
    public IReadOnlyList<DateTimeOffset> Due
    {
        get { lock (_gate) return [.. _armed.Select(a => a.Due).OrderBy(d => d)]; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var armed = new Armed(this);
        armed.Set(dueTime, period);
        armed.Inner = base.CreateTimer(s => { armed.Fired(); callback(s); }, state, dueTime, period);
        return armed;
    }

    /// <summary>Waits until a timer is due exactly at <paramref name="at"/>, then moves the clock there.</summary>
    public async Task AdvanceTo(DateTimeOffset at, string what)
    {
        await Wait.Until(() => Due.Contains(at), TimeSpan.FromSeconds(10), $"a timer due at {at:HH:mm:ss.fff} ({what}); due: " +
            string.Join(", ", Due.Select(d => d.ToString("HH:mm:ss.fff"))));
        Advance(at - GetUtcNow());
    }

    private sealed class Armed(TimerClock clock) : ITimer
    {
        private TimeSpan _period;

        public ITimer Inner { get; set; } = null!;
        public DateTimeOffset Due { get; private set; }

        public void Set(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                _period = period;
                Due = clock.GetUtcNow() + dueTime;
                if (dueTime == Timeout.InfiniteTimeSpan) clock._armed.Remove(this);
                else clock._armed.Add(this);
            }
        }

        public void Fired()
        {
            lock (clock._gate)
            {
                if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero) clock._armed.Remove(this);
                else Due += _period;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Set(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (clock._gate) clock._armed.Remove(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
