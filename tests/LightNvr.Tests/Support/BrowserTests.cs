namespace LightNvr.Tests.Support;

/// <summary>The browser the UI tests depend on really starts and renders a page.</summary>
public class BrowserTests
{
    [Test]
    public async Task Chromium_renders_a_page_at_the_requested_width()
    {
        await using var browser = await Browser.Launch();
        var page = await browser.NewPage(390, 844);
        await page.SetContentAsync("<html><body><h1 id=t>LightNVR</h1></body></html>");
        await Assert.That(await page.EvaluateAsync<int>("() => window.innerWidth")).IsEqualTo(390);
        await Assert.That(await page.InnerTextAsync("#t")).IsEqualTo("LightNVR");
    }
}
