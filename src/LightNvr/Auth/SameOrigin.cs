namespace LightNvr.Auth;

/// <summary>
/// The cross-site request check for changing calls (POST, PUT, PATCH, DELETE). Chosen over ASP.NET
/// antiforgery tokens: the pages' JS stays a plain fetch with no token plumbing, and with the
/// SameSite=Strict cookie it closes the same hole. Browsers send Origin on every non-GET fetch and
/// form post, so a cookie-carrying request without one is refused; programs using HTTP Basic hold no
/// ambient credential and may omit both headers, but a mismatching Origin is refused for everyone
/// (a browser may have cached Basic credentials).
/// </summary>
public static class SameOrigin
{
    public static bool IsChanging(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    /// <param name="host">The request's Host header (host[:port]).</param>
    /// <param name="ambient">True when the caller is authenticated by the browser's cookie.</param>
    public static bool Allowed(string? origin, string? referer, string host, bool ambient)
    {
        var source = !string.IsNullOrEmpty(origin) ? origin : referer;
        if (string.IsNullOrEmpty(source)) return !ambient;
        // "null" (sandboxed frames, some redirects) and unparsable values never match.
        return Uri.TryCreate(source, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", host, StringComparison.OrdinalIgnoreCase);
    }
}
