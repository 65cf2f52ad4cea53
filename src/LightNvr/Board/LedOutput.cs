namespace LightNvr.Board;

/// <summary>The one seam between the LED's pattern and a real light: on or off, and let go on exit.</summary>
public interface ILedOutput : IDisposable
{
    /// <summary>What is driven, for the status page (e.g. <c>sysfs ACT</c>, <c>gpio gpiochip0 line 17</c>).</summary>
    string Describe { get; }
    void Set(bool on);
}
