using System.Device.Gpio;

namespace LightNvr.Board;

/// <summary>An LED on a GPIO line (character device through System.Device.Gpio), optionally wired active-low.</summary>
public sealed class GpioLed : ILedOutput
{
    private readonly GpioController _gpio;
    private readonly int _line;
    private readonly bool _activeLow;

    public GpioLed(GpioController gpio, string chip, int line, bool activeLow)
    {
        _gpio = gpio;
        _line = line;
        _activeLow = activeLow;
        _gpio.OpenPin(line, PinMode.Output, Level(false));
        Describe = $"gpio {chip} line {line}{(activeLow ? " (active low)" : "")}";
    }

    public string Describe { get; }

    public void Set(bool on) => _gpio.Write(_line, Level(on));

    private PinValue Level(bool on) => on != _activeLow ? PinValue.High : PinValue.Low;

    public void Dispose()
    {
        try { _gpio.Write(_line, Level(false)); }
        catch (Exception e) when (e is IOException or InvalidOperationException) { /* the chip went away */ }
        _gpio.Dispose();
    }
}
