namespace LightNvr.Hosting;

/// <summary>
/// An owner's immutable value and a signal for its next change: readers take <see cref="Current"/>, or
/// await <see cref="Changed"/> (taken before reading, so no change between the two is missed).
/// Only the owner publishes.
/// </summary>
public sealed class Published<T>(T initial) where T : class
{
    private readonly Lock _gate = new();
    private T _value = initial;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public T Current => Volatile.Read(ref _value);

    /// <summary>Completes at the next publish after this property was read.</summary>
    public Task Changed { get { lock (_gate) return _changed.Task; } }

    public void Publish(T value)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            Volatile.Write(ref _value, value);
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    /// <summary>
    /// Replaces the value without waking the waiters: for a new value that says nothing a waiter acts on (counters
    /// that move on every tick). Readers of <see cref="Current"/> see it at once.
    /// </summary>
    public void Replace(T value)
    {
        lock (_gate) Volatile.Write(ref _value, value);
    }

    /// <summary>Publishes <paramref name="change"/> of the current value, serialized with other updates.</summary>
    public T Update(Func<T, T> change)
    {
        T next;
        TaskCompletionSource previous;
        lock (_gate)
        {
            next = change(_value);
            Volatile.Write(ref _value, next);
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
        return next;
    }
}
