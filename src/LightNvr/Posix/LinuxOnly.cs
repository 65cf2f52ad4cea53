// The appliance runs on Linux only (posix_spawn, /proc, GPIO character devices).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
