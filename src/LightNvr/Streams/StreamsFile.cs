using System.Text.RegularExpressions;
using LightNvr.Config;
using LightNvr.Storage;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LightNvr.Streams;

/// <summary>The result of reading streams.yaml.</summary>
/// <param name="Cameras">The valid cameras, in file order: register these.</param>
/// <param name="Errors">Every problem, located; a refused camera never disturbs the others.</param>
/// <param name="RefusedNames">Names of refused cameras (when the name itself is usable): keep their go2rtc streams as they are.</param>
/// <param name="Readable">False when the file as a whole could not be read (syntax, unreadable, <c>cameras</c> not a list):
/// the camera list is then unknown, so nothing may be deleted on its account.</param>
public sealed record StreamsLoad(IReadOnlyList<Camera> Cameras, IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<string> RefusedNames, bool Readable);

/// <summary>Reads and writes streams.yaml, the camera list (beside lightnvr.yaml, mode 0600).</summary>
public static partial class StreamsFile
{
    public const string FileName = "streams.yaml";

    private const string Header =
        "# LightNVR camera list. It holds camera passwords: keep it mode 0600.\n" +
        "# Parameters go in the fields (transport, timeout, media, backchannel, video, audio, hardware), never as #… in a URL.\n";

    private static readonly INamingConvention Naming = UnderscoredNamingConvention.Instance;
    private static readonly AppYamlContext Context = new();

    /// <summary>streams.yaml in the directory of lightnvr.yaml.</summary>
    public static string PathBeside(string configPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, FileName);

    /// <summary>Parses and validates the text of streams.yaml.</summary>
    public static StreamsLoad Parse(string text, string file, OwnServices? own = null)
    {
        var shape = YamlShapeCheck.Check(text, file, typeof(StreamsDocument), Context, Naming);
        var errors = shape.Errors.ToList();
        var readable = shape.Usable is not null && !errors.Any(e => e.Path is "(syntax)" or "(top level)" or "cameras");
        if (shape.Usable is null) return new StreamsLoad([], errors, [], false);

        var document = new StaticDeserializerBuilder(Context).WithNamingConvention(Naming).Build()
            .Deserialize<StreamsDocument?>(shape.Usable) ?? new StreamsDocument();

        // The shape check drops a list entry that is not a section of keys (its error path is exactly
        // cameras[i]); map the survivors back to their index in the file.
        var dropped = errors.Select(e => EntryIndex().Match(e.Path)).Where(m => m.Success && m.Length == m.Value.Length
                && m.Groups["rest"].Length == 0)
            .Select(m => int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var indexed = new List<(int Index, Camera Camera)>();
        var original = 0;
        foreach (var camera in document.Cameras)
        {
            while (dropped.Contains(original)) original++;
            if (camera is null)
                errors.Add(new ConfigError(file, Line(shape, original), Column(shape, original), $"cameras[{original}]", "empty entry; expected a camera with name and url"));
            else indexed.Add((original, camera));
            original++;
        }

        var refused = new HashSet<int>(dropped);
        foreach (var error in errors)
            if (EntryIndex().Match(error.Path) is { Success: true } m)
                refused.Add(int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (index, error) in CameraRules.Check(indexed, file, shape.Marks, own))
        {
            errors.Add(error);
            refused.Add(index);
        }

        var valid = indexed.Where(c => !refused.Contains(c.Index)).Select(c => c.Camera).ToList();
        var refusedNames = indexed.Where(c => refused.Contains(c.Index) && CameraRules.NameProblem(c.Camera.Name) is null)
            .Select(c => c.Camera.Name).Distinct().ToList();
        var ordered = errors.OrderBy(e => e.Line <= 0 ? int.MaxValue : e.Line).ThenBy(e => e.Column).ToList();
        return new StreamsLoad(valid, ordered, refusedNames, readable);
    }

    private static int Line(YamlShapeCheck.Result shape, int index) =>
        shape.Marks.TryGetValue($"cameras[{index}]", out var m) ? (int)m.Line : 0;

    private static int Column(YamlShapeCheck.Result shape, int index) =>
        shape.Marks.TryGetValue($"cameras[{index}]", out var m) ? (int)m.Column : 0;

    /// <summary>Reads streams.yaml. A missing file is an empty camera list (a fresh appliance).</summary>
    public static StreamsLoad Load(string path)
    {
        if (!File.Exists(path)) return new StreamsLoad([], [], [], true);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new StreamsLoad([], [new ConfigError(path, 0, 0, "(file)", $"cannot read the file: {e.Message}")], [], false);
        }
        return Parse(text, path);
    }

    /// <summary>The YAML text for a camera list (through the static context; null fields left out).</summary>
    public static string Serialize(IReadOnlyList<Camera> cameras)
    {
        var serializer = new StaticSerializerBuilder(Context)
            .WithNamingConvention(Naming)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
            .WithQuotingNecessaryStrings()
            .Build();
        return Header + serializer.Serialize(new StreamsDocument { Cameras = cameras.ToList() });
    }

    /// <summary>Writes the camera list atomically with mode 0600 (it holds passwords).</summary>
    public static void Save(string path, IReadOnlyList<Camera> cameras) =>
        AtomicFile.WriteAllText(path, Serialize(cameras), AtomicFile.Private);

    [GeneratedRegex(@"\Acameras\[(?<index>\d+)\](?<rest>.*)\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex EntryIndex();
}
