using YamlDotNet.Serialization;

namespace LightNvr.Config;

// The shape of lightnvr.yaml. YamlDotNet's static generator needs settable properties, so these are
// plain classes; nothing mutates them after ConfigLoader hands them out. Defaults come from the
// build options (BuildOptions.g.cs), exactly as the integration document's CMake options did.

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
    /// <summary>GPIO chip line of the status LED; -1 = no LED wired.</summary>
    public int LedPin { get; set; } = -1;
    /// <summary>GPIO chip line of the reset button; -1 = no button wired.</summary>
    public int ButtonPin { get; set; } = -1;
    /// <summary>Serial device of the UART console; empty = no console.</summary>
    public string Uart { get; set; } = "";
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
