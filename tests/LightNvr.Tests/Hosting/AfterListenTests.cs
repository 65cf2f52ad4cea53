using LightNvr.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightNvr.Tests.Hosting;

public class AfterListenTests
{
    private sealed class Recorded(List<string> log, string name) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) { lock (log) log.Add(name + " start"); return Task.CompletedTask; }
        public Task StopAsync(CancellationToken cancellationToken) { lock (log) log.Add(name + " stop"); return Task.CompletedTask; }
    }

    [Test]
    public async Task A_deferred_service_is_made_and_started_after_the_server_and_stopped_after_it()
    {
        var log = new List<string>();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var from = builder.Services.Count;
        builder.Services.AddHostedService(_ => { lock (log) log.Add("late made"); return new Recorded(log, "late"); });
        builder.Services.AddSingleton<IHostedService>(_ => new Recorded(log, "early")); // registered before the call too
        builder.Services.StartAfterListening(from);
        // Stands for the web server, which the host starts after the services registered before it.
        builder.Services.AddHostedService(_ => new Recorded(log, "server"));
        using var host = builder.Build();

        await host.StartAsync();
        await Assert.That(log).IsEquivalentTo(new[] { "server start", "late made", "late start", "early start" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await host.StopAsync();
        await Assert.That(log.Skip(4)).IsEquivalentTo(new[] { "server stop", "early stop", "late stop" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task A_deferred_service_is_made_only_once_the_host_has_started()
    {
        var made = 0;
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var deferred = new AfterListen([() => { made++; return new Recorded([], "late"); }], lifetime, NullLogger<AfterListen>.Instance);
        await deferred.StartAsync(CancellationToken.None);
        await deferred.StopAsync(CancellationToken.None);
        await Assert.That(made).IsEqualTo(0);
        lifetime.NotifyStarted();
        await Assert.That(made).IsEqualTo(1);
    }

    [Test]
    public async Task A_service_that_cannot_be_made_ends_the_appliance_with_exit_code_1_and_the_rest_are_not_made()
    {
        var log = new List<string>();
        var failed = 0;
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var deferred = new AfterListen(
            [() => new Recorded(log, "first"), () => throw new InvalidOperationException("no such device"), () => new Recorded(log, "third")],
            lifetime, NullLogger<AfterListen>.Instance, () => failed++);
        await deferred.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        await Assert.That(failed).IsEqualTo(1);
        await Assert.That(lifetime.ApplicationStopping.IsCancellationRequested).IsTrue();
        await Assert.That(log).IsEquivalentTo(new[] { "first start" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await deferred.StopAsync(CancellationToken.None);
        await Assert.That(log).IsEquivalentTo(new[] { "first start", "first stop" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }
}
