using System.Net;
using LightNvr.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LightNvr.Tests.Auth;

/// <summary>
/// Every route the app maps (read from its EndpointDataSource, so routes added later are covered
/// without touching this test): without credentials refused, with wrong ones refused, with the right
/// ones let in. Only the pages needed to sign in, their assets and /healthz are public.
/// </summary>
public class RouteCoverageTests
{
    private const string Password = "route-coverage-password";
    private const string Camera = "yard";
    // The status page's stylesheet and scripts are public too: nothing secret in them, and the pages need them.
    private static readonly string[] PublicRoutes = ["/healthz", "/login", "/setup", LightNvr.Web.StatusAssets.Css.Url, LightNvr.Web.StatusAssets.Js.Url,
        LightNvr.Web.StatusAssets.FormJs.Url];

    internal sealed record Route(string Method, string Path, bool Public);

    private static List<Route> Routes(WebApplication app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["GET"])
                .Select(m => new Route(m, Fill(e.RoutePattern), e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .Distinct()
            // Reads first, removals last: the right-credentials pass really runs the handlers.
            .OrderBy(r => r.Method switch { "GET" or "HEAD" => 0, "DELETE" => 2, _ => 1 }).ThenBy(r => r.Path)
            .ToList();

    /// <summary>A concrete path for a template: every parameter is the known camera's name.</summary>
    private static string Fill(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternSeparatorPart sep => sep.Content,
            RoutePatternParameterPart => Camera,
            _ => "",
        })))) + (pattern.RawText?.Contains("webrtc") == true ? "?src=" + Camera : "");

    private static HttpRequestMessage Request(Route route, string accept, string? password)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path);
        request.Headers.Add("Accept", accept);
        if (password is not null) request.Headers.Authorization = AppHarness.BasicHeader(password);
        if (route.Method is not ("GET" or "HEAD")) request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    [Test]
    public async Task Every_mapped_route_requires_the_admin_except_the_sign_in_pages_and_healthz()
    {
        await using var app = await new AppHarness($"cameras:\n  - name: {Camera}\n    url: rtsp://127.0.0.1:1/live\n").WithPassword(Password).Start();
        var routes = Routes(app.App);
        await Assert.That(routes.Count).IsGreaterThanOrEqualTo(10);
        await Assert.That(routes.Where(r => r.Public).Select(r => r.Path).Distinct().Order().ToArray()).IsEquivalentTo(PublicRoutes);
        var failures = new List<string>();

        // Each address may fail 5 times a minute: wrong-password requests come from a fresh address every 4.
        var wrongAttempts = 0;
        HttpClient? wrongClient = null;
        using var anonymous = AuthClients.Client(app.Http.BaseAddress!);
        using var admin = AuthClients.Client(app.Http.BaseAddress!, "127.0.0.2");
        foreach (var route in routes.Where(r => !r.Public))
        {
            var what = $"{route.Method} {route.Path}";
            var none = await anonymous.SendAsync(Request(route, "application/json", null));
            if (none.StatusCode != HttpStatusCode.Unauthorized || !none.Headers.WwwAuthenticate.ToString().StartsWith("Basic"))
                failures.Add($"{what} without credentials: {(int)none.StatusCode}, expected 401 with WWW-Authenticate: Basic");
            else if (none.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{what} without credentials: 401 but {none.Content.Headers.ContentType}, expected application/problem+json");
            if (route.Method == "GET")
            {
                var page = await anonymous.SendAsync(Request(route, "text/html", null));
                if (page.StatusCode != HttpStatusCode.Redirect || page.Headers.Location?.OriginalString.Contains("/login?return=") != true)
                    failures.Add($"{what} from a browser without a session: {(int)page.StatusCode} {page.Headers.Location}, expected a redirect to /login");
            }

            if (wrongAttempts++ % 4 == 0)
            {
                wrongClient?.Dispose();
                wrongClient = AuthClients.Client(app.Http.BaseAddress!, $"127.0.1.{wrongAttempts / 4 + 1}");
            }
            var wrong = await wrongClient!.SendAsync(Request(route, "application/json", "wrong-" + Password));
            if (wrong.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{what} with a wrong password: {(int)wrong.StatusCode}, expected 401");

            var right = await admin.SendAsync(Request(route, "application/json", Password));
            if (right.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)
                failures.Add($"{what} with the right password: {(int)right.StatusCode} {await right.Content.ReadAsStringAsync()}");
        }
        wrongClient?.Dispose();

        foreach (var route in routes.Where(r => r.Public && r.Method == "GET"))
        {
            var answer = await anonymous.SendAsync(Request(route, "text/html", null));
            if (answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                failures.Add($"public {route.Method} {route.Path}: {(int)answer.StatusCode}");
        }
        await Assert.That(failures).IsEmpty().Because(string.Join("\n", failures) + "\nroutes: " + string.Join(", ", routes));
    }
}
