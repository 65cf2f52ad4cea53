using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LightNvr.Web;

/// <summary>
/// Why the catch-all /api/ route got a request: the path exists but not for this method (405), or
/// exists for this method but takes another Content-Type (415), or does not exist at all (null).
/// The router prefers the catch-all over an endpoint whose Content-Type does not match, so without
/// this a JSON route posted as text/plain answered "no such route".
/// </summary>
public static class RouteMismatch
{
    public sealed record Verdict(int Status, string Title, string Detail, IReadOnlyList<string> Allow);

    public static Verdict? Explain(HttpRequest request, EndpointDataSource endpoints)
    {
        var segments = request.Path.Value?.Trim('/').Split('/') ?? [];
        var matching = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("**", StringComparison.Ordinal) && Matches(e.RoutePattern, segments))
            .ToList();
        if (matching.Count == 0) return null;
        var sameMethod = matching.Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } m
            || m.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)).ToList();
        if (sameMethod.Count == 0)
        {
            var allow = matching.SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Distinct().Order().ToList();
            return new Verdict(405, "method not allowed", $"{request.Path} takes {string.Join(", ", allow)}, not {request.Method}", allow);
        }
        var types = sameMethod.SelectMany(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? []).Distinct().ToList();
        if (types.Count == 0) return null;
        var sent = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"'{request.ContentType}'";
        return new Verdict(415, "unsupported media type",
            $"{request.Method} {request.Path} takes Content-Type: {string.Join(" or ", types)}; the request sent {sent}", []);
    }

    private static bool Matches(RoutePattern pattern, string[] segments)
    {
        if (pattern.PathSegments.Count != segments.Length) return false;
        for (var i = 0; i < segments.Length; i++)
        {
            var parts = pattern.PathSegments[i].Parts;
            // A segment that is only literal text must match it; one with a parameter takes any value.
            if (parts.All(p => p.IsLiteral)
                && !string.Equals(string.Concat(parts.Cast<RoutePatternLiteralPart>().Select(p => p.Content)), segments[i], StringComparison.OrdinalIgnoreCase))
                return false;
            if (segments[i].Length == 0) return false;
        }
        return true;
    }
}
