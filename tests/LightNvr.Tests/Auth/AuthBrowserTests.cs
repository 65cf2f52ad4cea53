using LightNvr.Tests.Support;

namespace LightNvr.Tests.Auth;

/// <summary>A person in a real browser: onboarding, the status page, sign-out, sign-in; screenshots of both pages.</summary>
public class AuthBrowserTests
{
    private const string Password = "browser-admin-password";

    [Test]
    public async Task A_person_sets_the_password_lands_on_the_status_page_signs_out_and_in_again()
    {
        await using var app = await new AppHarness().Onboarding().Start();
        var baseUrl = app.Http.BaseAddress!.ToString().TrimEnd('/');
        await using var browser = await Browser.Launch();
        var phone = await browser.NewPage(390, 844);
        var desktop = await browser.NewPage(1280, 800);

        // No password yet: any page leads to the onboarding form.
        foreach (var (page, width) in new[] { (phone, 390), (desktop, 1280) })
        {
            await page.GotoAsync(baseUrl + "/");
            await Assert.That(new Uri(page.Url).AbsolutePath).IsEqualTo("/setup");
            await Assert.That(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).IsTrue();
            await page.ScreenshotAsync(new() { Path = Browser.ScreenshotPath($"setup-{width}.png"), FullPage = true });
        }

        await phone.FillAsync("#password", Password);
        await phone.FillAsync("#confirm", Password);
        await phone.ClickAsync("button[type=submit]");
        await phone.WaitForURLAsync(baseUrl + "/");
        await Assert.That(await phone.TitleAsync()).Contains("LightNVR");
        await Assert.That(await phone.ContentAsync()).Contains("go2rtc");

        // The other browser has no session: it is sent to the login page, which keeps where it was going.
        await desktop.GotoAsync(baseUrl + "/api/status");
        await Assert.That(new Uri(desktop.Url).PathAndQuery).IsEqualTo("/login?return=%2Fapi%2Fstatus");
        await desktop.GotoAsync(baseUrl + "/login");
        await desktop.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("login-1280.png"), FullPage = true });
        await desktop.FillAsync("#password", "not-" + Password);
        await desktop.ClickAsync("button[type=submit]");
        await Assert.That(await desktop.InnerTextAsync("[role=alert]")).IsEqualTo("Wrong password.");
        await AuthClients.SignIn(desktop, baseUrl, Password);
        await Assert.That(new Uri(desktop.Url).AbsolutePath).IsEqualTo("/");

        // Sign out (as a page's form or script would: a same-origin POST), then the pages need a login again.
        var status = await phone.EvaluateAsync<int>("async () => (await fetch('/logout', { method: 'POST', redirect: 'manual' })).type === 'opaqueredirect' ? 303 : 0");
        await Assert.That(status).IsEqualTo(303);
        await phone.GotoAsync(baseUrl + "/");
        await Assert.That(new Uri(phone.Url).AbsolutePath).IsEqualTo("/login");
        await Assert.That(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).IsTrue();
        await phone.ScreenshotAsync(new() { Path = Browser.ScreenshotPath("login-390.png"), FullPage = true });
        await AuthClients.SignIn(phone, baseUrl, Password);
        await Assert.That(new Uri(phone.Url).AbsolutePath).IsEqualTo("/");

        // The status page's own Sign out button.
        await phone.ClickAsync(".signout button");
        await phone.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");

        // A session that ends while the page is open (the password changed elsewhere): the page's
        // refresh is refused and the page itself goes to the login page, no browser password box.
        await Assert.That(new Uri(desktop.Url).AbsolutePath).IsEqualTo("/");
        await Assert.That(new LightNvr.Auth.PasswordStore(app.Config.StateDir).Set(Password + "-changed")).IsNull();
        await desktop.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login", new() { Timeout = 30_000 });
    }
}
