using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace LightNvr.Tests.Support;

/// <summary>Signed-in clients for tests: an HttpClient with a cookie session, and a browser page.</summary>
internal static class AuthClients
{
    /// <summary>
    /// A client that does not follow redirects, keeps cookies, and connects from <paramref name="source"/>
    /// (any 127.x.y.z works on Linux loopback): the login limit is per client address, so tests that
    /// make failed attempts use their own address.
    /// </summary>
    public static HttpClient Client(Uri baseAddress, string source = "127.0.0.1", CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>The password <see cref="Provision"/> sets.</summary>
    public const string ProvisionedPassword = "provisioned-admin-password";

    /// <summary>
    /// Sets the admin password in <paramref name="stateDir"/> before an appliance process starts, as
    /// `lightnvr passwd` would (the API answers nobody until one exists); returns the password.
    /// </summary>
    public static string Provision(string stateDir)
    {
        if (new LightNvr.Auth.PasswordStore(stateDir).Set(ProvisionedPassword) is { } refused) throw new InvalidOperationException(refused);
        return ProvisionedPassword;
    }

    /// <summary>Adds HTTP Basic for the admin to <paramref name="client"/>.</summary>
    public static HttpClient SignedIn(HttpClient client, string password = ProvisionedPassword)
    {
        client.DefaultRequestHeaders.Authorization = AppHarness.BasicHeader(password);
        return client;
    }

    /// <summary>Posts the login form as a browser on this origin would; returns the response (303 on success).</summary>
    public static Task<HttpResponseMessage> PostLogin(HttpClient client, string password, string returnUrl = "/") =>
        PostForm(client, "/login", new() { ["password"] = password, ["return"] = returnUrl });

    public static Task<HttpResponseMessage> PostForm(HttpClient client, string path, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        return client.SendAsync(request);
    }

    /// <summary>Signs a browser page in through the login form; returns once the page left /login.</summary>
    public static async Task SignIn(IPage page, string baseUrl, string password)
    {
        await page.GotoAsync(baseUrl.TrimEnd('/') + "/login");
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login"));
    }
}
