namespace LightNvr.Hosting;

/// <summary>
/// Background services made and started once the endpoint listens, not before. The host builds and starts
/// every hosted service before Kestrel binds, so each one's construction (its dependencies, loggers, the
/// generic types the container builds at run time in a Native AOT binary) used to stand between exec and the
/// first page. Started from ApplicationStarted, in their order of registration, they come up beside the first
/// requests; they are stopped in the reverse order, as the host stops its own. One that cannot be made or
/// started ends the appliance with exit code 1, as it did when the host started it: systemd then restarts it
/// instead of leaving a page up with nothing behind it.
/// </summary>
/// <param name="failed">Sets the process's exit code to 1 (a test records the call instead).</param>
public sealed class AfterListen(IReadOnlyList<Func<IHostedService>> create, IHostApplicationLifetime lifetime, ILogger<AfterListen> log,
    Action? failed = null) : IHostedService
{
    private readonly List<IHostedService> _started = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var make in create)
            {
                try
                {
                    var service = make();
                    lock (_started) _started.Add(service);
                    // BackgroundService.StartAsync returns at the body's first await; the bodies guard their own faults.
                    _ = service.StartAsync(CancellationToken.None);
                }
                catch (Exception e)
                {
                    log.LogCritical(e, "a background service could not start");
                    (failed ?? (static () => Environment.ExitCode = 1))();
                    lifetime.StopApplication();
                    return;
                }
            }
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IHostedService[] started;
        lock (_started) started = [.. _started];
        for (var i = started.Length - 1; i >= 0; i--) await started[i].StopAsync(cancellationToken);
    }
}

public static class AfterListenExtensions
{
    /// <summary>Every hosted service registered from index <paramref name="from"/> on is made and started after the endpoint listens.</summary>
    public static IServiceCollection StartAfterListening(this IServiceCollection services, int from)
    {
        var deferred = new List<ServiceDescriptor>();
        for (var i = services.Count - 1; i >= from; i--)
        {
            if (services[i].ServiceType != typeof(IHostedService)) continue;
            deferred.Insert(0, services[i]);
            services.RemoveAt(i);
        }
        if (deferred.Count > 0)
            services.Insert(from, ServiceDescriptor.Singleton<IHostedService>(sp => new AfterListen(
                [.. deferred.Select(d => (Func<IHostedService>)(() => Create(sp, d)))], sp.GetRequiredService<IHostApplicationLifetime>(),
                sp.GetRequiredService<ILogger<AfterListen>>())));
        return services;
    }

    private static IHostedService Create(IServiceProvider sp, ServiceDescriptor d) =>
        (IHostedService)(d.ImplementationInstance ?? d.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));
}
