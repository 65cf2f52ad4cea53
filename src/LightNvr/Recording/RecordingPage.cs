namespace LightNvr.Recording;

/// <summary>The recordings page, its script and stylesheet, embedded (no external assets; no inline script, so the default policy holds).</summary>
public static class RecordingPage
{
    public static string Html { get; } = Read("recordings.html");
    public static string Script { get; } = Read("recordings.js");
    public static string Style { get; } = Read("recordings.css");

    private static string Read(string name)
    {
        using var s = typeof(RecordingPage).Assembly.GetManifestResourceStream("LightNvr.Recording." + name)
            ?? throw new InvalidOperationException(name + " is not embedded");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
