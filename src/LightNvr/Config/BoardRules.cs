namespace LightNvr.Config;

/// <summary>The meaning checks of <c>board:</c>: driver names, lines, the console's device and speed.</summary>
public static class BoardRules
{
    public static readonly string[] LedDrivers = ["none", "sysfs", "gpio"];
    public static readonly string[] Pulls = ["up", "down", "none"];
    public static readonly int[] Bauds = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

    /// <summary>Keys of the first board section, which only ever named pins; each error says what replaced it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Retired = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["board.led_pin"] = "replaced by board.led (driver: gpio, chip, line, active_low) or an LED class device (driver: sysfs, name)",
        ["board.button_pin"] = "replaced by board.button (chip, line, pull, active_low)",
        ["board.uart"] = "replaced by board.console (device, baud)",
    };

    public static void Check(BoardSettings b, Action<string, string> fail)
    {
        var led = b.Led;
        if (!LedDrivers.Contains(led.Driver))
            fail("board.led.driver", $"expected one of {string.Join(", ", LedDrivers)}, found '{led.Driver}'");
        else if (led.Driver == "sysfs" && !IsPlainName(led.Name))
            fail("board.led.name", $"expected the name of a directory in /sys/class/leds (e.g. ACT), found '{led.Name}'");
        else if (led.Driver == "gpio")
        {
            if (string.IsNullOrWhiteSpace(led.Chip)) fail("board.led.chip", "expected a GPIO chip (gpiochipN, its number or its label), found nothing");
            Line("board.led.line", led.Line, fail);
        }

        var button = b.Button;
        if (button.Chip.Length > 0)
        {
            Line("board.button.line", button.Line, fail);
            if (!Pulls.Contains(button.Pull)) fail("board.button.pull", $"expected one of {string.Join(", ", Pulls)}, found '{button.Pull}'");
            if (led.Driver == "gpio" && led.Chip == button.Chip && led.Line == button.Line)
                fail("board.button.line", $"line {button.Line} of {button.Chip} is already the LED's (board.led.line)");
        }

        var console = b.Console;
        if (!IsNone(console.Device) && !console.Device.StartsWith('/'))
            fail("board.console.device", $"expected none or the path of a serial tty such as /dev/serial0, found '{console.Device}'");
        if (!Bauds.Contains(console.Baud))
            fail("board.console.baud", $"expected one of {string.Join(", ", Bauds)}, found {console.Baud}");
    }

    public static bool IsNone(string device) => device is "" or "none";

    private static void Line(string path, int line, Action<string, string> fail)
    {
        if (line is < 0 or > 1023) fail(path, $"expected a line offset 0-1023, found {line}");
    }

    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 64 && name is not ("." or "..") && !name.Contains('/') && !name.Any(char.IsControl);
}
