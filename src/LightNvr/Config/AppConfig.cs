using YamlDotNet.Serialization;

namespace LightNvr.Config;

// The shape of lightnvr.yaml. YamlDotNet's static generator needs settable properties, so these are
// plain classes; nothing mutates them after ConfigLoader hands them out. Defaults come from the
// build options (BuildOptions.g.cs), so an image built for one board starts with that board's paths and ports.

[YamlSerializable]
public sealed class AppConfig
{
    public WebSettings Web { get; set; } = new();
    public Go2rtcSettings Go2rtc { get; set; } = new();
    public HealthSettings Health { get; set; } = new();
    public BoardSettings Board { get; set; } = new();
    public LogSettings Log { get; set; } = new();
    public FrameSettings Frames { get; set; } = new();
    public AuthSettings Auth { get; set; } = new();
    public RecordSettings Record { get; set; } = new();

    /// <summary>Where the appliance keeps its own state (password hash, pid file, last-good config).</summary>
    public string StateDir { get; set; } = "/var/lib/lightnvr";
}

[YamlSerializable]
public sealed class WebSettings
{
    /// <summary>Address the LAN endpoint binds to; 0.0.0.0 = every interface.</summary>
    public string Listen { get; set; } = "0.0.0.0";
    public int Port { get; set; } = 8080;
    /// <summary>
    /// Names the appliance is reached by besides its IP addresses, localhost, its hostname and
    /// hostname.local (e.g. a DNS name on the LAN). Any other Host header is refused (DNS rebinding).
    /// </summary>
    public List<string> Hostnames { get; set; } = [];
}

[YamlSerializable]
public sealed class Go2rtcSettings
{
    public bool Enabled { get; set; } = BuildOptions.Go2rtcEnabled;
    public string Binary { get; set; } = BuildOptions.Go2rtcBinaryPath;
    public string ConfigDir { get; set; } = BuildOptions.Go2rtcConfigDir;
    public int ApiPort { get; set; } = BuildOptions.Go2rtcApiPort;
    public int RtspPort { get; set; } = 8554;
    /// <summary>WebRTC media port (TCP and UDP), the one go2rtc port the LAN may reach.</summary>
    public int WebrtcPort { get; set; } = 8555;
    /// <summary>ICE servers, candidates, filters, the offer deadline (see WebRtcSettings).</summary>
    public WebRtcSettings Webrtc { get; set; } = new();
    public string LogLevel { get; set; } = "info";
    public int ReadyTimeoutMs { get; set; } = 10_000;
    /// <summary>
    /// The advanced door: go2rtc's own web UI and API at /go2rtc/ on our endpoint, for the admin only.
    /// Off by default: go2rtc's pages run their own scripts on our origin, and its API can do more than ours.
    /// </summary>
    public bool ExposeUi { get; set; }
}

[YamlSerializable]
public sealed class IceServer
{
    public List<string> Urls { get; set; } = [];
    public string? Username { get; set; }
    public string? Credential { get; set; }
}

[YamlSerializable]
public sealed class HealthSettings
{
    public int PeriodMs { get; set; } = 1000;
    /// <summary>
    /// The period while go2rtc answers and every watched camera's bytes rise: each tick costs the idle appliance most
    /// of its CPU. A hang is seen within calm_period + hung_after × probe_timeout (3 + 3 × 1 s).
    /// </summary>
    public int CalmPeriodMs { get; set; } = 3000;
    public int ProbeTimeoutMs { get; set; } = 1000;
    public int MaxRestarts { get; set; } = 5;
    public int RestartWindowSeconds { get; set; } = 600;
    public int MemoryLimitPercent { get; set; } = 40;
    /// <summary>Consecutive missed API probes that mean go2rtc is hung.</summary>
    public int HungAfter { get; set; } = 3;
    /// <summary>After (re)registration a stream is "starting" this long before it can be called stalled.</summary>
    public int WarmUpSeconds { get; set; } = 120;
    /// <summary>RSS over the limit this long → restart.</summary>
    public int MemoryWindowSeconds { get; set; } = 60;
}

[YamlSerializable]
public sealed class BoardSettings
{
    public LedSettings Led { get; set; } = new();
    public ButtonSettings Button { get; set; } = new();
    public ConsoleSettings Console { get; set; } = new();
}

[YamlSerializable]
public sealed class LedSettings
{
    /// <summary>none, sysfs (an LED class device) or gpio (a character-device line).</summary>
    public string Driver { get; set; } = "none";
    /// <summary>sysfs: the directory name under /sys/class/leds (a Raspberry Pi's green LED is ACT or led0).</summary>
    public string Name { get; set; } = "ACT";
    /// <summary>gpio: the chip by name (gpiochipN), number or label.</summary>
    public string Chip { get; set; } = "gpiochip0";
    public int Line { get; set; } = 17;
    public bool ActiveLow { get; set; }
}

[YamlSerializable]
public sealed class ButtonSettings
{
    /// <summary>The chip by name, number or label; empty = no button wired.</summary>
    public string Chip { get; set; } = "";
    public int Line { get; set; } = 27;
    /// <summary>up, down or none: the line's bias (a button to ground wants up).</summary>
    public string Pull { get; set; } = "up";
    /// <summary>Pressed reads as 0 (a button to ground with a pull-up).</summary>
    public bool ActiveLow { get; set; } = true;
}

[YamlSerializable]
public sealed class ConsoleSettings
{
    /// <summary>none, or the serial tty of the maintenance console (a Raspberry Pi's is /dev/serial0).</summary>
    public string Device { get; set; } = "none";
    public int Baud { get; set; } = 115200;
}

[YamlSerializable]
public sealed class FrameSettings
{
    /// <summary>Every snapshot call to go2rtc ends by then (go2rtc itself has no deadline).</summary>
    public int DeadlineMs { get; set; } = 5000;
    /// <summary>A snapshot is reused this long for everyone asking for the same stream and size.</summary>
    public int CacheMs { get; set; } = 1000;
    public int MaxBytes { get; set; } = 4 * 1024 * 1024;
    /// <summary>Frame calls to go2rtc at once, across all streams (each costs go2rtc an ffmpeg run).</summary>
    public int Concurrency { get; set; } = 2;
}

[YamlSerializable]
public sealed class LogSettings
{
    public string Level { get; set; } = "info";
}

[YamlSerializable]
public sealed class AuthSettings
{
    /// <summary>A plain-text password put on the boot partition; hashed into the state dir and deleted at start.</summary>
    public string PasswordFile { get; set; } = LightNvr.Auth.BootPasswordFile.DefaultPath;
}
