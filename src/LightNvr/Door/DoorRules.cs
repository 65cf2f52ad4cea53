using LightNvr.Streams;

namespace LightNvr.Door;

/// <summary>Why the door refuses a request: its status, problem title and a sentence for the person.</summary>
public sealed record DoorRefusal(int Status, string Title, string Detail);

/// <summary>
/// What the door to go2rtc lets through, as a pure decision over the request (method, path under the base
/// path, query pairs) and the names the appliance manages. go2rtc's API can do more than the appliance's,
/// so three things stay with the appliance: its own streams (the camera list is their one source of truth,
/// and the reconciler would undo any change within a minute), go2rtc's config and lifecycle (the supervisor
/// regenerates the one and owns the other), and the camera source rules (no source may make go2rtc run
/// commands or reach the appliance's own services, whichever API it comes through).
/// </summary>
public static class DoorRules
{
    /// <summary>Paths whose every call would change go2rtc's config or lifecycle behind the supervisor's back.</summary>
    private static readonly Dictionary<string, string> Owned = new(StringComparer.Ordinal)
    {
        ["/api/restart"] = "the appliance starts and restarts go2rtc: use Restart go2rtc on the status page or POST /api/go2rtc/restart",
        ["/api/exit"] = "the appliance starts and stops go2rtc; a go2rtc that exits is started again",
        ["/api/ffmpeg"] = "it makes go2rtc's ffmpeg read local files or URLs into a stream, past the appliance's source rules",
    };

    /// <summary>Paths that change streams: refused when they name one of the appliance's.</summary>
    private static readonly string[] StreamPaths = ["/api/streams", "/api/preload"];

    /// <summary>Query keys go2rtc reads a stream name or a source URL from.</summary>
    private static readonly string[] NameKeys = ["src", "name", "dst"];

    /// <param name="path">The path under go2rtc's base path, e.g. <c>/api/streams</c>.</param>
    /// <param name="query">Every query pair as the appliance decoded it (the same pairs are forwarded).</param>
    /// <param name="managed">Whether a stream name belongs to the appliance's camera list.</param>
    public static DoorRefusal? Check(string method, string path, IEnumerable<KeyValuePair<string, string>> query,
        Func<string, bool> managed, OwnServices own)
    {
        path = Canonical(path);
        var changing = !(method is "GET" or "HEAD" or "OPTIONS");
        if (Owned.TryGetValue(path, out var why))
            return new(403, "owned-by-the-appliance", $"{path} is not available through the door: {why}");
        if (path == "/api/config" && changing)
            return new(403, "owned-by-the-appliance",
                "go2rtc's config is written by the appliance on every start; put your own settings in go2rtc.yaml beside it " +
                "(GO2RTC_CONFIG_DIR on the device), and cameras through the appliance's API");

        var pairs = query.ToList();
        foreach (var (key, value) in pairs)
        {
            // go2rtc takes a value with a scheme as a source (and creates a stream from it on frame.jpeg, ws, mp4 …).
            if (!(NameKeys.Contains(key) || key == "live") || !value.Contains(':')) continue;
            if (UrlRules.UrlProblem(value, own) is { } problem)
                return new(403, "source-refused", $"{key}: {problem}");
        }
        if (changing && StreamPaths.Contains(path))
            foreach (var (key, value) in pairs)
                if (NameKeys.Contains(key) && managed(value))
                    return new(403, "managed-stream",
                        $"'{value}' is a stream of the appliance's cameras and read-only here: change the camera with the appliance's API " +
                        "(/api/streams/NAME on the appliance, not under /go2rtc/) or on its status page");
        return null;
    }

    /// <summary>Whether a call on this path reads or changes go2rtc's stream map.</summary>
    public static bool IsStreamPath(string path) => StreamPaths.Contains(Canonical(path));

    /// <summary>
    /// The path go2rtc would serve: its router cleans repeated slashes, and Go decodes an encoded slash (%2F,
    /// which our server leaves encoded) before routing, so <c>/api%2Fstreams</c> must count as <c>/api/streams</c>.
    /// </summary>
    public static string Canonical(string path)
    {
        path = path.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        while (path.Contains("//", StringComparison.Ordinal)) path = path.Replace("//", "/", StringComparison.Ordinal);
        return path;
    }
}
