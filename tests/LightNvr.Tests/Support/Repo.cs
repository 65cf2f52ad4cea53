namespace LightNvr.Tests.Support;

/// <summary>Finds files of the repository the tests were built from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "LightNvr.sln"))) return d.FullName;
        throw new InvalidOperationException("LightNvr.sln not found above " + AppContext.BaseDirectory);
    }

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
