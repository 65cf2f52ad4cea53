global using Microsoft.AspNetCore.Builder;
global using Microsoft.Extensions.DependencyInjection;
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
// CI runs on a noisy 2-core machine with the suite in parallel: a test gets one more try before it
// counts as failed. A test that fails twice is red; a real regression fails every time.
[assembly: TUnit.Core.Retry(1)]
