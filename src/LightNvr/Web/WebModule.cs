using System.Net;
using LightNvr.Config;

namespace LightNvr.Web;

/// <summary>The one LAN endpoint: Kestrel, its guards, the status page, its actions and the diagnostics bundle.</summary>
public static class WebModule
{
    private const int ReadAheadBytes = BodyLimits.JsonBytes;

    public static WebApplicationBuilder AddWebEndpoint(this WebApplicationBuilder builder, WebSettings web)
    {
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(web.Listen), web.Port);
            k.Limits.MaxRequestBodySize = BodyLimits.JsonBytes; // the backstop; BodyLimits sets each route's own
            k.Limits.MaxRequestBufferSize = ReadAheadBytes;
        });
        // The socket transport reads ahead of the application up to 1 MB per connection by default, into pinned
        // blocks the process keeps: eight clients pushing bodies that will be refused held 2-8 MB of a small
        // board's memory (strace: about 1 MB read from each socket before the 413). No route takes more than a
        // JSON body, so the read-ahead is one JSON body.
        builder.WebHost.UseSockets(s => s.MaxReadBufferSize = ReadAheadBytes);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJson.Default);
        });
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>
    /// The guards, before anything reads the request: headers on every answer, own Host names only,
    /// problem+json for errors and failed writes, bounded bodies.
    /// </summary>
    public static WebApplication UseWebGuards(this WebApplication app, IEnumerable<string> ownNames)
    {
        app.UseSecurityHeaders();
        app.Use(new HostCheck(ownNames).Invoke);
        app.UseApiErrors();
        app.UseBodyLimits();
        return app;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapApiFallback();
        app.MapStatus();
        return app;
    }
}
