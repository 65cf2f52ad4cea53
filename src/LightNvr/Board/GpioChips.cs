using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace LightNvr.Board;

/// <summary>
/// Finds a GPIO chip the way a person names it in lightnvr.yaml: <c>gpiochipN</c>, its number, or its
/// label (what <c>gpiodetect</c> shows in brackets, e.g. <c>pinctrl-bcm2711</c> or a test's gpio-sim label).
/// </summary>
public static class GpioChips
{
    /// <summary>The chip's number, or why none matches (listing the chips there are).</summary>
    public static (int? Id, string? Error) Resolve(string spec, IReadOnlyList<GpioChipInfo> chips)
    {
        var match = chips.FirstOrDefault(c => c.Name == spec)
            ?? (int.TryParse(spec, out var n) ? chips.FirstOrDefault(c => c.Id == n) : null)
            ?? chips.FirstOrDefault(c => c.Label == spec);
        if (match is not null) return (match.Id, null);
        var known = chips.Count == 0 ? "there is no GPIO chip" : "chips: " + string.Join(", ", chips.Select(c => $"{c.Name} [{c.Label}]"));
        return (null, $"no GPIO chip named '{spec}' ({known})");
    }

    /// <summary>
    /// A controller on the chip through libgpiod's v1 API (libgpiod.so.2, Debian's libgpiod2): System.Device.Gpio
    /// reaches the character device only through libgpiod.
    /// </summary>
    public static GpioController Open(string spec)
    {
        List<GpioChipInfo> chips;
        // The loader's own message lists every path it tried: too long for the status page.
        try { chips = LibGpiodDriver.GetAvailableChips().ToList(); }
        catch (DllNotFoundException) { throw new IOException("libgpiod.so.2 is not installed (Debian: apt install libgpiod2)"); }
        var (id, error) = Resolve(spec, chips);
        if (id is null) throw new IOException(error);
        return new GpioController(new LibGpiodDriver(id.Value));
    }
}
