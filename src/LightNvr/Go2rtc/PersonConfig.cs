using LightNvr.Storage;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace LightNvr.Go2rtc;

/// <summary>
/// The person's own go2rtc.yaml (STUN/TURN, log and API settings), given to go2rtc as a second config
/// file so the two never have to be merged. The appliance never rewrites it; it creates a commented example once, checks that it
/// parses before each start, and reads the one key the API client must follow (api.base_path).
/// </summary>
public static class PersonConfig
{
    public sealed record Check(bool Exists, string? Error, string BasePath);

    /// <summary>Bigger person files are not read (a go2rtc config is a few KiB).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Deeper nesting is refused before the tree is built (the tree builder recurses per level).</summary>
    public const int MaxDepth = 64;

    public static Check Inspect(string path)
    {
        if (!File.Exists(path)) return new Check(false, null, "");
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes) return new Check(true, $"{path}: {length} bytes; at most {MaxBytes} are read", "");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Check(true, $"{path}: cannot read: {e.Message}", "");
        }
        return InspectText(text, path);
    }

    /// <summary>
    /// Never throws: whatever the parser throws (YamlException, or the InvalidOperationException some
    /// unclosed flow collections give) becomes an error with the line and column it stopped at.
    /// </summary>
    public static Check InspectText(string text, string path)
    {
        var scanner = new Scanner(new StringReader(text));
        try
        {
            if (TooDeep(new Parser(scanner)) is { } deep)
                return new Check(true, $"{path}:{deep.Line}:{deep.Column}: nested deeper than {MaxDepth} levels", "");
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var root = stream.Documents.FirstOrDefault()?.RootNode;
            if (root is null or YamlScalarNode { Value: null or "" }) return new Check(true, null, "");
            if (root is not YamlMappingNode map)
                return new Check(true, $"{path}:{root.Start.Line}:{root.Start.Column}: expected a section of keys at the top level", "");
            var basePath = map.Children.TryGetValue("api", out var api) && api is YamlMappingNode apiMap
                && apiMap.Children.TryGetValue("base_path", out var bp) && bp is YamlScalarNode s ? s.Value ?? "" : "";
            return new Check(true, null, NormaliseBasePath(basePath));
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
            return new Check(true, $"{path}:{e.Start.Line}:{e.Start.Column}: {(cut >= 0 ? message[(cut + 3)..] : message)}", "");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var at = scanner.CurrentPosition;
            return new Check(true, $"{path}:{at.Line}:{at.Column}: does not parse ({e.Message})", "");
        }
    }

    /// <summary>The position where the nesting first goes past <see cref="MaxDepth"/>, read as a flat event stream.</summary>
    private static Mark? TooDeep(IParser parser)
    {
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case SequenceStart or MappingStart:
                    if (++depth > MaxDepth) return parser.Current.Start;
                    break;
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }
        return null;
    }

    /// <summary>"/rtc/" and "rtc" both mean "/rtc"; never a trailing slash (LightNVR's "//api" bug).</summary>
    public static string NormaliseBasePath(string basePath)
    {
        var trimmed = basePath.Trim().Trim('/');
        return trimmed.Length == 0 ? "" : "/" + trimmed;
    }

    public static void CreateExampleIfMissing(string path)
    {
        if (File.Exists(path)) return;
        AtomicFile.WriteAllText(path, Example);
    }

    public const string Example = """
        # Your own go2rtc settings. LightNVR Appliance passes this file to go2rtc after the config it
        # generates, so what you set here wins, key by key; it never rewrites this file.
        #
        # The `streams:` section is managed by the appliance (its camera list, streams.yaml): streams
        # you add here are merged in, but cameras are best added through the appliance.
        # go2rtc's API always listens on 127.0.0.1 only; it is not reachable from the network.
        #
        # webrtc:
        #   ice_servers:
        #     - urls: [stun:stun.l.google.com:19302]
        #     # Add TURN servers if needed
        #     # - urls: [turn:turn.example.com:3478]
        #     #   username: user
        #     #   credential: pass
        #
        # log:
        #   level: info  # debug, info, warn, error

        """;
}
