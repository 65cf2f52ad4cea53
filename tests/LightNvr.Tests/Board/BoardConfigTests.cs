using LightNvr.Config;

namespace LightNvr.Tests.Board;

/// <summary>The <c>board:</c> section: the contract's keys parse, each wrong value is named, the old pin keys say what replaced them.</summary>
public class BoardConfigTests
{
    private static List<ConfigError> ErrorsOf(string yaml) => ConfigLoader.Parse(yaml, "lightnvr.yaml", Path.GetTempPath()).Errors;

    [Test]
    public async Task The_documented_board_section_parses_into_the_model()
    {
        var (config, errors) = ConfigLoader.Parse("""
            board:
              led:
                driver: gpio
                name: lightnvr:status
                chip: lnvr-sim
                line: 1
                active_low: true
              button:
                chip: "2"
                line: 0
                pull: down
                active_low: false
              console:
                device: /dev/hvc0
                baud: 9600
            """, "lightnvr.yaml", Path.GetTempPath());
        await Assert.That(errors).IsEmpty().Because(string.Join("\n", errors));
        var b = config!.Board;
        await Assert.That((b.Led.Driver, b.Led.Name, b.Led.Chip, b.Led.Line, b.Led.ActiveLow)).IsEqualTo(("gpio", "lightnvr:status", "lnvr-sim", 1, true));
        await Assert.That((b.Button.Chip, b.Button.Line, b.Button.Pull, b.Button.ActiveLow)).IsEqualTo(("2", 0, "down", false));
        await Assert.That((b.Console.Device, b.Console.Baud)).IsEqualTo(("/dev/hvc0", 9600));
    }

    [Test]
    public async Task Defaults_drive_nothing()
    {
        var b = new AppConfig().Board;
        await Assert.That(b.Led.Driver).IsEqualTo("none");
        await Assert.That(b.Button.Chip).IsEqualTo("");
        await Assert.That(b.Console.Device).IsEqualTo("none");
        await Assert.That(b.Console.Baud).IsEqualTo(115200);
    }

    [Test]
    [Arguments("board:\n  led:\n    driver: pwm\n", "board.led.driver", "expected one of none, sysfs, gpio, found 'pwm'")]
    [Arguments("board:\n  led:\n    driver: sysfs\n    name: ../../etc\n", "board.led.name", "expected the name of a directory in /sys/class/leds")]
    [Arguments("board:\n  led:\n    driver: gpio\n    chip: \"\"\n", "board.led.chip", "expected a GPIO chip")]
    [Arguments("board:\n  led:\n    driver: gpio\n    line: 5000\n", "board.led.line", "expected a line offset 0-1023, found 5000")]
    [Arguments("board:\n  button:\n    chip: gpiochip0\n    pull: sideways\n", "board.button.pull", "expected one of up, down, none, found 'sideways'")]
    [Arguments("board:\n  led:\n    driver: gpio\n    line: 4\n  button:\n    chip: gpiochip0\n    line: 4\n", "board.button.line", "line 4 of gpiochip0 is already the LED's")]
    [Arguments("board:\n  console:\n    device: ttyS0\n", "board.console.device", "expected none or the path of a serial tty")]
    [Arguments("board:\n  console:\n    baud: 115201\n", "board.console.baud", "found 115201")]
    public async Task Board_errors_name_the_field_and_the_reason(string yaml, string path, string message)
    {
        var errors = ErrorsOf(yaml);
        await Assert.That(errors.Any(e => e.Path == path && e.Message.Contains(message))).IsTrue().Because(string.Join("\n", errors));
    }

    [Test]
    public async Task The_old_pin_keys_are_located_errors_that_name_their_replacement()
    {
        var errors = ErrorsOf("board:\n  led_pin: 17\n  button_pin: 27\n  uart: /dev/serial0\n");
        var text = string.Join("\n", errors.Select(e => e.ToString()));
        await Assert.That(text).Contains("lightnvr.yaml:2:3: board.led_pin: replaced by board.led (driver: gpio");
        await Assert.That(text).Contains("lightnvr.yaml:3:3: board.button_pin: replaced by board.button");
        await Assert.That(text).Contains("lightnvr.yaml:4:3: board.uart: replaced by board.console");
    }
}
