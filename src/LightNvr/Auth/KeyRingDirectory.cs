using System.Xml.Linq;
using LightNvr.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace LightNvr.Auth;

/// <summary>
/// Where ASP.NET Core keeps the keys that sign session cookies: <c>{state_dir}/keys</c>, directory
/// 0700 and files 0600, written through <see cref="AtomicFile"/> (the stock file-system repository
/// leaves files at the umask's 0644 and is not power-cut safe). Persisted, so sessions survive restarts.
/// </summary>
public sealed class KeyRingDirectory : IXmlRepository
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _dir;

    public KeyRingDirectory(string dir)
    {
        _dir = dir;
        Directory.CreateDirectory(dir, DirectoryMode);
        File.SetUnixFileMode(dir, DirectoryMode);
    }

    public IReadOnlyCollection<XElement> GetAllElements() =>
        Directory.EnumerateFiles(_dir, "*.xml").Select(f => XElement.Load(f)).ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        // friendlyName is "key-{guid}"; anything else is replaced, so it can never name another path.
        var name = friendlyName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? friendlyName : "key-" + Guid.NewGuid();
        AtomicFile.WriteAllText(Path.Combine(_dir, name + ".xml"), element.ToString(SaveOptions.DisableFormatting), AtomicFile.Private);
    }
}
