using LightNvr.Board;
using LightNvr.Tests.Support;

namespace LightNvr.Tests.Board;

/// <summary>The LED class driver against a real directory laid out like /sys/class/leds/ACT.</summary>
public class SysfsLedTests
{
    private static TempDir Leds(string trigger, string? max = "255")
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("ACT"));
        File.WriteAllText(dir.File("ACT/trigger"), trigger);
        File.WriteAllText(dir.File("ACT/brightness"), "0\n");
        if (max is not null) File.WriteAllText(dir.File("ACT/max_brightness"), max + "\n");
        return dir;
    }

    [Test]
    public async Task Takes_the_led_from_its_trigger_drives_brightness_and_gives_the_trigger_back()
    {
        using var dir = Leds("none rc-feedback kbd-capslock timer oneshot heartbeat backlight gpio cpu [mmc0] default-on\n");
        using (var led = SysfsLed.Open(dir.Path, "ACT"))
        {
            await Assert.That(File.ReadAllText(dir.File("ACT/trigger"))).IsEqualTo("none");
            await Assert.That(led.Describe).Contains("mmc0");
            led.Set(true);
            await Assert.That(File.ReadAllText(dir.File("ACT/brightness"))).IsEqualTo("255");
            led.Set(false);
            await Assert.That(File.ReadAllText(dir.File("ACT/brightness"))).IsEqualTo("0");
            led.Set(true);
        }
        await Assert.That(File.ReadAllText(dir.File("ACT/trigger"))).IsEqualTo("mmc0");
        await Assert.That(File.ReadAllText(dir.File("ACT/brightness"))).IsEqualTo("0");
    }

    [Test]
    public async Task An_led_without_a_trigger_or_max_brightness_is_driven_with_1_and_no_trigger_is_written_back()
    {
        using var dir = Leds("[none] timer\n", max: null);
        using (var led = SysfsLed.Open(dir.Path, "ACT")) led.Set(true);
        await Assert.That(File.ReadAllText(dir.File("ACT/trigger"))).IsEqualTo("[none] timer\n"); // never touched
        using (var led = SysfsLed.Open(dir.Path, "ACT"))
        {
            led.Set(true);
            await Assert.That(File.ReadAllText(dir.File("ACT/brightness"))).IsEqualTo("1");
        }
    }

    [Test]
    public async Task A_missing_led_is_an_error_naming_the_path()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<IOException>(() => SysfsLed.Open(dir.Path, "led0"));
        await Assert.That(e.Message).Contains(Path.Combine(dir.Path, "led0"));
    }

    [Test]
    [Arguments("none [mmc0] timer", "mmc0")]
    [Arguments("[none] mmc0", "none")]
    [Arguments("none mmc0 timer", null)]
    [Arguments("", null)]
    [Arguments("[] x", null)]
    public async Task The_selected_trigger_is_the_bracketed_one(string list, string? selected)
    {
        await Assert.That(SysfsLed.SelectedTrigger(list)).IsEqualTo(selected);
    }
}
