// The appliance assembly is linux-only, and so is everything built on it.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
