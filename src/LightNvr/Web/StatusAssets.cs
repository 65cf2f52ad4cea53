using System.Text;

namespace LightNvr.Web;

/// <summary>
/// The page's stylesheet and scripts: small files in this folder, embedded in the binary (the
/// appliance is often offline, so nothing comes from elsewhere). Their URLs carry a content hash,
/// so browsers may keep them for a year and still never run a stale copy after an update.
/// </summary>
public static class StatusAssets
{
    public sealed record Asset(string Url, byte[] Body, string ContentType);

    public static Asset Css { get; } = Load("status.css", "text/css; charset=utf-8");
    public static Asset Js { get; } = Load("status.js", "text/javascript; charset=utf-8");
    public static Asset FormJs { get; } = Load("camera-form.js", "text/javascript; charset=utf-8");

    public static IEndpointRouteBuilder MapStatusAssets(this IEndpointRouteBuilder app)
    {
        foreach (var asset in new[] { Css, Js, FormJs })
            app.MapGet(asset.Url, (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return TypedResults.Bytes(asset.Body, asset.ContentType);
            }).AllowAnonymous(); // the page's own files, also while no password exists: nothing secret in them
        return app;
    }

    private static Asset Load(string name, string type)
    {
        using var stream = typeof(StatusAssets).Assembly.GetManifestResourceStream("LightNvr.Web." + name)
            ?? throw new InvalidOperationException($"embedded asset {name} is missing from the build");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var body = memory.ToArray();
        var hash = Fnv1a(body).ToString("x16")[..12];
        var dot = name.LastIndexOf('.');
        return new Asset($"/static/{name[..dot]}.{hash}{name[dot..]}", body, type);
    }

    /// <summary>
    /// FNV-1a, 64 bit: a cache key, not a security check. A cryptographic hash would pull the crypto
    /// stack into the binary for nothing (the arm64 size guard).
    /// </summary>
    public static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        var h = 14695981039346656037UL;
        foreach (var b in data) h = (h ^ b) * 1099511628211UL;
        return h;
    }

    public static string Text(Asset a) => Encoding.UTF8.GetString(a.Body);
}
