using LightNvr.Hosting;

namespace LightNvr.Tests.Hosting;

public class PublishedTests
{
    private sealed record Value(int N);

    [Test]
    public async Task Replace_changes_the_value_and_wakes_nobody_publish_wakes_the_waiters()
    {
        var published = new Published<Value>(new Value(0));
        var changed = published.Changed;
        published.Replace(new Value(1));
        await Assert.That(published.Current.N).IsEqualTo(1);
        await Assert.That(changed.IsCompleted).IsFalse();
        published.Publish(new Value(2));
        await changed.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.That(published.Current.N).IsEqualTo(2);
    }
}
