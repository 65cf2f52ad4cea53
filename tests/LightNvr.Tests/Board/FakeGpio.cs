using System.Device.Gpio;

namespace LightNvr.Tests.Board;

/// <summary>
/// A GPIO chip in memory behind System.Device.Gpio's own GpioController: the test sees every level the
/// code writes (with the fake clock's time) and raises edges on inputs as a person pressing a button would.
/// </summary>
internal sealed class FakeGpioDriver(TimeProvider clock) : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly Dictionary<int, List<PinChangeEventHandler>> _callbacks = [];
    public List<(TimeSpan At, int Pin, bool High)> Writes { get; } = [];
    private readonly DateTimeOffset _t0 = clock.GetUtcNow();
    public bool Disposed { get; private set; }

    public PinMode? ModeOf(int pin) => _modes.TryGetValue(pin, out var m) ? m : null;
    public bool High(int pin) { lock (Writes) return _levels.TryGetValue(pin, out var v) && v == PinValue.High; }

    /// <summary>Sets an input's level and raises the edge, as the kernel would report it.</summary>
    public void Drive(int pin, bool high)
    {
        List<PinChangeEventHandler> handlers;
        lock (Writes)
        {
            if (High(pin) == high) return;
            _levels[pin] = high ? PinValue.High : PinValue.Low;
            handlers = [.. _callbacks.GetValueOrDefault(pin) ?? []];
        }
        foreach (var h in handlers) h(this, new PinValueChangedEventArgs(high ? PinEventTypes.Rising : PinEventTypes.Falling, pin));
    }

    protected override int PinCount => 64;
    protected override void OpenPin(int pinNumber) { }
    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        _modes[pinNumber] = mode;
        if (mode == PinMode.InputPullUp) lock (Writes) _levels[pinNumber] = PinValue.High;
    }
    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;
    protected override PinValue Read(int pinNumber) { lock (Writes) return _levels.GetValueOrDefault(pinNumber, PinValue.Low); }
    protected override void Toggle(int pinNumber) => Write(pinNumber, !High(pinNumber));
    protected override void Write(int pinNumber, PinValue value)
    {
        lock (Writes)
        {
            _levels[pinNumber] = value;
            Writes.Add((clock.GetUtcNow() - _t0, pinNumber, value == PinValue.High));
        }
    }
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the code under test uses callbacks");
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (Writes) (_callbacks.TryGetValue(pinNumber, out var l) ? l : _callbacks[pinNumber] = []).Add(callback);
    }
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (Writes) _callbacks.GetValueOrDefault(pinNumber)?.Remove(callback);
    }
    public override GpioChipInfo GetChipInfo() => new(0, "gpiochip9", "fake", 64);
    protected override void Dispose(bool disposing) { Disposed = true; base.Dispose(disposing); }
}
