using System.Text;
using System.Text.Encodings.Web;

namespace LightNvr.Auth;

/// <summary>
/// The two pages a person sees before signing in: /login and /setup. Server-rendered, no scripts,
/// no external assets (the appliance is often offline); the look follows the status page.
/// </summary>
public static class AuthPages
{
    private static readonly HtmlEncoder H = HtmlEncoder.Default;

    // Same palette and header as the status page; a single centred card that fits a 390 px phone.
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
        header{background:#1d2330;color:#fff;padding:14px 20px} h1{font-size:1.2rem;margin:0}
        main{max-width:420px;margin:0 auto;padding:24px 16px}
        form{background:#fff;border-radius:10px;padding:20px 18px;box-shadow:0 1px 3px #0002;display:grid;gap:12px}
        h2{font-size:1.1rem;margin:0} p{margin:0;line-height:1.4} .hint{color:#5b6475;font-size:.9rem}
        label{display:grid;gap:4px;font-weight:600;font-size:.95rem}
        input[type=password]{font:inherit;font-size:16px;padding:10px 12px;border:1px solid #c6cbd4;border-radius:8px;width:100%;box-sizing:border-box}
        input[type=password]:focus{outline:2px solid #2f6fed;outline-offset:1px;border-color:#2f6fed}
        button{font:inherit;font-weight:600;padding:11px;border:0;border-radius:8px;background:#2f6fed;color:#fff;cursor:pointer}
        button:hover{background:#2459c7}
        .bad{color:#b42318;background:#fef3f2;border:1px solid #fecdca;border-radius:8px;padding:8px 10px}
        """;

    /// <summary>The pages' inline blocks, for the Content-Security-Policy's hashes.</summary>
    public static string InlineBlocks => "<style>" + Style + "</style>";

    public static string Login(string? error, string returnUrl) => Page("Sign in", b =>
    {
        b.Append("<form method=\"post\" action=\"/login\"><h2>Sign in</h2>");
        Error(b, error);
        b.Append("<input type=\"hidden\" name=\"return\" value=\"").Append(H.Encode(returnUrl)).Append("\">")
         .Append("<input type=\"text\" name=\"username\" value=\"admin\" autocomplete=\"username\" hidden>")
         .Append("<label>Admin password<input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" required autofocus></label>")
         .Append("<button type=\"submit\">Sign in</button>")
         .Append("<p class=\"hint\">Forgot it? Run <code>lightnvr passwd</code> on the device, or put a new one in <code>lightnvr-password.txt</code> on the boot partition.</p></form>");
    });

    public static string Setup(string? error, string? bootFileProblem) => Page("Set the admin password", b =>
    {
        b.Append("<form method=\"post\" action=\"/setup\"><h2>Welcome</h2>")
         .Append("<p>This appliance has no password yet. Choose the admin password: it protects the live video, the cameras and the settings.</p>");
        Error(b, error);
        Error(b, bootFileProblem);
        b.Append("<input type=\"text\" name=\"username\" value=\"admin\" autocomplete=\"username\" hidden>")
         .Append("<label>New password<input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"new-password\" minlength=\"")
         .Append(PasswordRules.MinLength).Append("\" required autofocus></label>")
         .Append("<label>Repeat it<input type=\"password\" name=\"confirm\" id=\"confirm\" autocomplete=\"new-password\" required></label>")
         .Append("<p class=\"hint\">At least ").Append(PasswordRules.MinLength).Append(" characters. The user name is <b>admin</b>.</p>")
         .Append("<button type=\"submit\">Set password</button></form>");
    });

    private static void Error(StringBuilder b, string? error)
    {
        if (!string.IsNullOrEmpty(error)) b.Append("<p class=\"bad\" role=\"alert\">").Append(H.Encode(error)).Append("</p>");
    }

    private static string Page(string title, Action<StringBuilder> body)
    {
        var b = new StringBuilder(2048);
        b.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
         .Append(H.Encode(title)).Append(" · LightNVR</title><style>").Append(Style).Append("</style></head><body>")
         .Append("<header><h1>LightNVR Appliance</h1></header><main>");
        body(b);
        return b.Append("</main></body></html>").ToString();
    }
}
