using System.Device.Gpio;
using LightNvr.Board;

namespace LightNvr.Tests.Board;

public class GpioChipsTests
{
    private static readonly GpioChipInfo[] Chips = [new(0, "gpiochip0", "9030000.pl061", 8), new(1, "gpiochip1", "lnvr-sim", 4)];

    [Test]
    [Arguments("gpiochip1", 1)]
    [Arguments("1", 1)]
    [Arguments("lnvr-sim", 1)]
    [Arguments("gpiochip0", 0)]
    [Arguments("9030000.pl061", 0)]
    public async Task A_chip_is_found_by_name_number_or_label(string spec, int id)
    {
        await Assert.That(GpioChips.Resolve(spec, Chips).Id).IsEqualTo(id);
    }

    [Test]
    public async Task An_unknown_chip_lists_the_chips_there_are()
    {
        var (id, error) = GpioChips.Resolve("pinctrl-bcm2711", Chips);
        await Assert.That(id).IsNull();
        await Assert.That(error).IsEqualTo("no GPIO chip named 'pinctrl-bcm2711' (chips: gpiochip0 [9030000.pl061], gpiochip1 [lnvr-sim])");
        await Assert.That(GpioChips.Resolve("0", []).Error).Contains("there is no GPIO chip");
    }
}
