using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LightNvr.Web;

/// <summary>
/// Headers on every response: a Content-Security-Policy that forbids framing (clickjacking) and any
/// script or style not shipped by the appliance, no MIME sniffing, and no Referer leaving the box
/// (a page URL can hold a stream name). A page with inline blocks sets its own policy with their hashes
/// (<see cref="Policy"/>); this one is the default and is never put over a page's own.
/// </summary>
public static partial class SecurityHeaders
{
    /// <summary>
    /// The status page's script and stylesheet are files from this origin ('self'); the login and setup
    /// pages carry one inline style (its hash). Images and video may come from blob: (snapshots, MSE).
    /// </summary>
    public static string Default { get; } = Policy(Auth.AuthPages.InlineBlocks);

    /// <summary>A policy allowing exactly these inline &lt;script&gt;/&lt;style&gt; blocks, plus files from this origin.</summary>
    public static string Policy(string html)
    {
        var scripts = Hashes(ScriptBlock(), html);
        var styles = Hashes(StyleBlock(), html);
        return "default-src 'none'; " +
               $"script-src 'self'{scripts}; style-src 'self'{styles}; " +
               "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; " +
               "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            http.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = Default;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, http);
            return next(http);
        });
        return app;
    }

    private static string Hashes(Regex block, string html) =>
        string.Concat(block.Matches(html).Select(m => m.Groups["body"].Value).Distinct()
            .Select(body => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}'"));

    [GeneratedRegex(@"<script>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex(@"<style>(?<body>.*?)</style>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex StyleBlock();
}
