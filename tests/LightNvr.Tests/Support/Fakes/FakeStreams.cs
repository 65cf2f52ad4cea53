using LightNvr.Streams;

namespace LightNvr.Tests.Support.Fakes;

/// <summary>The streams' published state as the test sets it; re-registrations recorded.</summary>
internal sealed class FakeStreams(StreamsState state) : IStreams
{
    private readonly List<string> _reregistered = [];

    public StreamsState State { get; set; } = state;

    public IReadOnlyList<string> Reregistered { get { lock (_reregistered) return [.. _reregistered]; } }

    public Task ReregisterAsync(IReadOnlyList<string> names, CancellationToken stop)
    {
        lock (_reregistered) _reregistered.AddRange(names);
        return Task.CompletedTask;
    }
}
