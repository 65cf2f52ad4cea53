using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace LightNvr.Tests.Detection;

/// <summary>An in-test Kestrel that records webhook bodies; <see cref="Hold"/> makes it answer only when released.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _inFlight;
    private int _maxInFlight;

    public ConcurrentQueue<string> Bodies { get; } = new();
    public TaskCompletionSource? Hold { get; set; }
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    public string Url { get; private set; } = "";

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext http) =>
        {
            var now = Interlocked.Increment(ref _inFlight);
            int max;
            while ((max = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max) { }
            try
            {
                using var reader = new StreamReader(http.Request.Body);
                Bodies.Enqueue(await reader.ReadToEndAsync());
                if (Hold is { } hold) await hold.Task.WaitAsync(http.RequestAborted);
                return Results.Ok();
            }
            finally { Interlocked.Decrement(ref _inFlight); }
        });
    }

    public static async Task<WebhookReceiver> Start()
    {
        var r = new WebhookReceiver();
        await r._app.StartAsync();
        r.Url = r._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return r;
    }

    public async ValueTask DisposeAsync()
    {
        Hold?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
