namespace LightNvr.Board;

/// <summary>
/// An LED class device (<c>/sys/class/leds/NAME</c>). The kernel may be driving it with a trigger (a
/// Raspberry Pi's ACT LED blinks on SD-card activity, <c>mmc0</c>): the trigger is set to <c>none</c> so
/// only our writes to <c>brightness</c> count, and the trigger it had is put back when we let go.
/// </summary>
public sealed class SysfsLed : ILedOutput
{
    public const string DefaultRoot = "/sys/class/leds";
    private readonly string _dir;
    private readonly string? _previousTrigger;
    private readonly string _onValue;

    private SysfsLed(string dir, string name, string? previousTrigger, string onValue)
    {
        _dir = dir;
        _previousTrigger = previousTrigger;
        _onValue = onValue;
        Describe = previousTrigger is null ? $"sysfs {name}" : $"sysfs {name} (trigger {previousTrigger} restored on exit)";
    }

    public string Describe { get; }

    /// <param name="root">The LED class directory; tests give a temp directory laid out the same way.</param>
    public static SysfsLed Open(string root, string name)
    {
        var dir = Path.Combine(root, name);
        if (!Directory.Exists(dir)) throw new IOException($"there is no LED {dir} (see ls {root})");
        var trigger = Path.Combine(dir, "trigger");
        string? previous = File.Exists(trigger) ? SelectedTrigger(File.ReadAllText(trigger)) : null;
        if (previous is not null && previous != "none") Write(trigger, "none");
        var max = File.Exists(Path.Combine(dir, "max_brightness")) ? File.ReadAllText(Path.Combine(dir, "max_brightness")).Trim() : "1";
        var led = new SysfsLed(dir, name, previous == "none" ? null : previous, int.TryParse(max, out var m) && m > 0 ? max : "1");
        return led;
    }

    /// <summary>The trigger in brackets in the kernel's list (<c>none [mmc0] timer</c> → <c>mmc0</c>); null if none is marked.</summary>
    public static string? SelectedTrigger(string list)
    {
        var open = list.IndexOf('[');
        var close = open < 0 ? -1 : list.IndexOf(']', open);
        return close > open + 1 ? list[(open + 1)..close] : null;
    }

    public void Set(bool on) => Write(Path.Combine(_dir, "brightness"), on ? _onValue : "0");

    public void Dispose()
    {
        try
        {
            Write(Path.Combine(_dir, "brightness"), "0");
            if (_previousTrigger is not null) Write(Path.Combine(_dir, "trigger"), _previousTrigger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* the LED went away: nothing to restore */ }
    }

    // A sysfs attribute is written in place (it cannot be renamed over), one short write per change.
    private static void Write(string path, string value) => File.WriteAllText(path, value);
}
