using System.Security.Cryptography;
using System.Text;
using LightNvr.Storage;

namespace LightNvr.Tests.Storage;

/// <summary>The child side of the kill test: rewrites one file forever with numbered, self-checking content.</summary>
internal static class AtomicWriterChild
{
    public static void Run(string path)
    {
        var version = Version(path) + 1;
        AtomicFile.WriteAllText(path, Content(version++));
        // Contents are made ahead, so that nearly every moment of the loop below is inside a write.
        var ahead = Enumerable.Range(0, 200).Select(i => Content(version + i)).ToArray();
        Console.Out.WriteLine("writing"); // one whole version is down; from now on every moment is mid-loop
        Console.Out.Flush();
        foreach (var content in ahead) AtomicFile.WriteAllText(path, content);
        for (version += ahead.Length; ; version++) AtomicFile.WriteAllText(path, Content(version));
    }

    /// <summary>A YAML document of ~256 KiB whose last line is the SHA-256 of everything before it.</summary>
    public static string Content(long version)
    {
        var b = new StringBuilder();
        b.Append("version: ").Append(version).Append('\n').Append("cameras:\n");
        for (var i = 0; b.Length < 256 * 1024; i++)
            b.Append("  - name: cam").Append(i).Append("\n    url: rtsp://10.0.0.").Append(i % 250).Append("/v").Append(version).Append('\n');
        var body = b.ToString();
        return body + "sha256: " + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))) + "\n";
    }

    public static long Version(string path)
    {
        if (!File.Exists(path)) return 0;
        var first = File.ReadLines(path).First();
        return long.Parse(first["version: ".Length..]);
    }
}
