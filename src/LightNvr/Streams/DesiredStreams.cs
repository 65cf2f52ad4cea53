using LightNvr.Config;
using LightNvr.Go2rtc;
using LightNvr.Logging;

namespace LightNvr.Streams;

/// <summary>One go2rtc stream the appliance wants.</summary>
/// <param name="Camera">The camera it belongs to (for <c>front_sub</c>: <c>front</c>).</param>
/// <param name="Sources">What to PUT; holds credentials, never show it.</param>
/// <param name="Redacted">The same sources for people: no credentials.</param>
/// <param name="Preload">Keep the producer connected (only when go2rtc supports it).</param>
public sealed record DesiredStream(string Name, string Camera, IReadOnlyList<string> Sources, IReadOnlyList<string> Redacted,
    bool Preload, bool Watch, bool IsSub)
{
    public override string ToString() => $"{Name}: {string.Join(" ", Redacted)}";
}

/// <summary>Feature gates by go2rtc version, as data.</summary>
public static class StreamFeatures
{
    /// <summary>Several <c>src</c> per <c>PUT /api/streams</c>.</summary>
    public static readonly (int Major, int Minor, int Patch) MultipleSources = (1, 9, 5);

    /// <summary>The <c>preload</c> feature.</summary>
    public static readonly (int Major, int Minor, int Patch) Preload = (1, 9, 11);

    public static bool Has(Go2rtcVersion version, (int Major, int Minor, int Patch) feature) =>
        version.AtLeast(feature.Major, feature.Minor, feature.Patch);

    public static string Text((int Major, int Minor, int Patch) v) => $"{v.Major}.{v.Minor}.{v.Patch}";
}

/// <summary>
/// The go2rtc streams the camera list asks for: enabled cameras, each as <c>name</c> plus
/// <c>name_sub</c> when it has a sub URL, trimmed to what the running go2rtc supports.
/// </summary>
/// <param name="Managed">Every stream name the camera list owns, enabled or not (the reconciler may delete these).</param>
/// <param name="Keep">Names never to touch: cameras refused by the rules keep whatever go2rtc has until they are fixed.</param>
/// <param name="Unavailable">What this go2rtc cannot do for the list, for the status page (no credentials).</param>
public sealed record DesiredStreams(
    IReadOnlyDictionary<string, DesiredStream> Streams,
    IReadOnlySet<string> Managed,
    IReadOnlySet<string> Keep,
    IReadOnlyList<string> Unavailable)
{
    /// <summary>name → sources to PUT.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Sources =>
        Streams.ToDictionary(s => s.Key, s => s.Value.Sources, StringComparer.Ordinal);

    /// <summary>name → sources for display: never a password.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Redacted =>
        Streams.ToDictionary(s => s.Key, s => s.Value.Redacted, StringComparer.Ordinal);

    /// <param name="cameras">Valid cameras (as <see cref="StreamsFile"/> returns them).</param>
    /// <param name="refusedNames">Names of cameras the rules refused (<see cref="StreamsLoad.RefusedNames"/>).</param>
    public static DesiredStreams From(IReadOnlyList<Camera> cameras, Go2rtcVersion version, IEnumerable<string>? refusedNames = null)
    {
        var streams = new SortedDictionary<string, DesiredStream>(StringComparer.Ordinal);
        var managed = new HashSet<string>(StringComparer.Ordinal);
        var unavailable = new List<string>();
        var multi = StreamFeatures.Has(version, StreamFeatures.MultipleSources);
        var preload = StreamFeatures.Has(version, StreamFeatures.Preload);

        foreach (var c in cameras)
        {
            managed.Add(c.Name);
            managed.Add(SourceBuilder.SubName(c.Name));
            if (!c.Enabled) continue;
            var sources = SourceBuilder.Sources(c);
            var redacted = SourceBuilder.Sources(c, redact: true).Select(Redactor.Redact).ToList();
            if (!multi && sources.Count > 1)
            {
                unavailable.Add($"{c.Name}: go2rtc {version} takes one source per stream (several need {StreamFeatures.Text(StreamFeatures.MultipleSources)}); " +
                                $"not registered: {string.Join(", ", redacted.Skip(1))}");
                sources = [sources[0]];
                redacted = [redacted[0]];
            }
            if (c.Preload && !preload)
                unavailable.Add($"{c.Name}: preload needs go2rtc {StreamFeatures.Text(StreamFeatures.Preload)}, this is {version}");
            streams[c.Name] = new DesiredStream(c.Name, c.Name, sources, redacted, c.Preload && preload, c.Watch, IsSub: false);

            if (SourceBuilder.SubSource(c) is { } sub)
            {
                var name = SourceBuilder.SubName(c.Name);
                streams[name] = new DesiredStream(name, c.Name, [sub], [Redactor.Redact(SourceBuilder.SubSource(c, redact: true))],
                    Preload: false, c.Watch, IsSub: true);
            }
        }

        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in refusedNames ?? [])
        {
            if (managed.Contains(name) || streams.ContainsKey(name)) continue; // a valid camera of that name wins
            keep.Add(name);
            keep.Add(SourceBuilder.SubName(name));
        }
        return new DesiredStreams(streams, managed, keep, unavailable);
    }
}
