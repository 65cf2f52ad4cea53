global using Microsoft.AspNetCore.Builder;
global using Microsoft.Extensions.DependencyInjection;
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
