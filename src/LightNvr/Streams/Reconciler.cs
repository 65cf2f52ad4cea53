namespace LightNvr.Streams;

/// <summary>One change to go2rtc's streams.</summary>
public abstract record StreamAction(string Name)
{
    /// <summary><c>PUT /api/streams?name=…&amp;src=…</c>: create or replace.</summary>
    public sealed record Put(string Name, IReadOnlyList<string> Sources) : StreamAction(Name)
    {
        // Sources hold credentials: a Put printed anywhere shows only its name and source count.
        public override string ToString() => $"Put {Name} ({Sources.Count} source{(Sources.Count == 1 ? "" : "s")})";
    }

    /// <summary><c>DELETE /api/streams?src=…</c>.</summary>
    public sealed record Delete(string Name) : StreamAction(Name)
    {
        public override string ToString() => $"Delete {Name}";
    }
}

/// <summary>
/// What the appliance has PUT into go2rtc. <see cref="Streams"/> holds the sources of this go2rtc
/// generation (a go2rtc restart starts a new one and forgets them); <see cref="Ever"/> remembers every
/// name ever registered, so a camera removed while go2rtc kept the stream is still recognised as ours.
/// Immutable: the caller records each action after go2rtc accepted it.
/// </summary>
public sealed record Registered(long Generation, IReadOnlyDictionary<string, IReadOnlyList<string>> Streams, IReadOnlySet<string> Ever)
{
    public static readonly Registered Empty =
        new(0, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    /// <summary>The record after go2rtc accepted <paramref name="action"/> in <paramref name="generation"/>.</summary>
    public Registered After(StreamAction action, long generation)
    {
        var streams = generation == Generation
            ? new Dictionary<string, IReadOnlyList<string>>(Streams, StringComparer.Ordinal)
            : new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var ever = new HashSet<string>(Ever, StringComparer.Ordinal);
        switch (action)
        {
            case StreamAction.Put put:
                streams[put.Name] = put.Sources.ToArray();
                ever.Add(put.Name);
                break;
            case StreamAction.Delete delete:
                streams.Remove(delete.Name);
                ever.Remove(delete.Name);
                break;
        }
        return new Registered(generation, streams, ever);
    }
}

/// <summary>
/// Desired streams + what go2rtc reports + what we registered → the actions that make go2rtc match
/// the camera list, deletes first then puts, each by name. Pure.
/// <para>
/// It never compares producer URLs with the desired sources: go2rtc shows a connected RTSP producer
/// without its <c>#…</c> parameters, ffmpeg sources as their internal loopback URL, and newer builds
/// mask <c>user:pass@</c> as <c>***@</c>. Equality is judged against what we PUT in this generation,
/// so healthy streams are never churned.
/// </para>
/// </summary>
public static class Reconciler
{
    /// <param name="observed">Every stream <c>GET /api/streams</c> reported: name → producer URLs (null = not known).</param>
    /// <param name="generation">The running go2rtc's generation (bumped on every go2rtc start).</param>
    public static List<StreamAction> Plan(DesiredStreams desired, IReadOnlyDictionary<string, IReadOnlyList<string>?> observed,
        Registered registered, long generation)
    {
        var current = registered.Generation == generation ? registered.Streams : new Dictionary<string, IReadOnlyList<string>>();
        var actions = new List<StreamAction>();

        // Deletes: streams that are ours (registered by us at some point, or named after a camera in
        // the list, e.g. a sub stream whose sub_url was removed) and no longer wanted. Streams from the
        // person's own go2rtc.yaml are left alone, and so are refused cameras until they are fixed.
        foreach (var name in observed.Keys.Order(StringComparer.Ordinal))
        {
            if (desired.Streams.ContainsKey(name) || desired.Keep.Contains(name)) continue;
            if (registered.Ever.Contains(name) || desired.Managed.Contains(name)) actions.Add(new StreamAction.Delete(name));
        }

        foreach (var (name, stream) in desired.Streams.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var wanted = !observed.ContainsKey(name)                                  // missing (new, or go2rtc lost it)
                         || !current.TryGetValue(name, out var ours)                  // not ours in this generation
                         || !ours.SequenceEqual(stream.Sources, StringComparer.Ordinal); // changed since we PUT it
            if (wanted) actions.Add(new StreamAction.Put(name, stream.Sources));
        }
        return actions;
    }
}
