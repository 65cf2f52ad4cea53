using LightNvr.Go2rtc;

namespace LightNvr.Tests.Support.Fakes;

/// <summary>go2rtc's API as the test sets it: the probe's outcome, the stream map it lists, and every change it was asked for.</summary>
internal sealed class FakeGo2rtcClient : IGo2rtcClient
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ObservedStream> _streams = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];
    private int _observations;

    /// <summary>What each probe gives; anything but Ok lists no streams.</summary>
    public ProbeResult Probe { get; set; } = ProbeResult.Ok;

    public int Observations => Volatile.Read(ref _observations);
    public IReadOnlyList<string> Calls { get { lock (_gate) return [.. _calls]; } }

    public void SetStream(string name, long bytes, params string[] producers)
    {
        lock (_gate) _streams[name] = new ObservedStream(producers, bytes, 0);
    }

    public Task<string?> GetVersionAsync(TimeSpan deadline, CancellationToken cancel) => Task.FromResult<string?>("1.9.14");

    public Task<IReadOnlyDictionary<string, ObservedStream>?> ListStreamsAsync(CancellationToken cancel)
    {
        lock (_gate) return Task.FromResult<IReadOnlyDictionary<string, ObservedStream>?>(new Dictionary<string, ObservedStream>(_streams));
    }

    public Task<(ProbeResult Probe, IReadOnlyDictionary<string, ObservedStream>? Streams)> ObserveAsync(bool schemesProbe, TimeSpan deadline,
        CancellationToken cancel)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _observations);
            IReadOnlyDictionary<string, ObservedStream>? listed = Probe == ProbeResult.Ok ? new Dictionary<string, ObservedStream>(_streams) : null;
            return Task.FromResult((Probe, listed));
        }
    }

    public Task<ApiOutcome> PutStreamAsync(string query, CancellationToken cancel)
    {
        var q = System.Web.HttpUtility.ParseQueryString(query);
        lock (_gate)
        {
            _calls.Add("put " + q["name"]);
            _streams[q["name"]!] = new ObservedStream(q.GetValues("src") ?? [], 0, 0);
        }
        return Task.FromResult(ApiOutcome.Ok);
    }

    public Task<ApiOutcome> DeleteStreamAsync(string name, CancellationToken cancel)
    {
        lock (_gate)
        {
            _calls.Add("delete " + name);
            _streams.Remove(name);
        }
        return Task.FromResult(ApiOutcome.Ok);
    }

    public Task<ApiOutcome> PreloadAsync(string name, CancellationToken cancel)
    {
        lock (_gate) _calls.Add("preload " + name);
        return Task.FromResult(ApiOutcome.Ok);
    }

    /// <summary>What each segment request gets; by default go2rtc refuses (no recording in the tests that do not ask).</summary>
    public Func<string, int, Mp4Opening> Mp4 { get; set; } = (_, _) => new Mp4Opening(null, "go2rtc answered 404: stream not found");

    public Task<Mp4Opening> OpenMp4Async(string name, int durationSeconds, CancellationToken cancel) => Task.FromResult(Mp4(name, durationSeconds));
}
