using System.Text;
using LightNvr.Posix;

namespace LightNvr.Tests.Posix;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class LineSplitterAndExitStatusTests
{
    [Test]
    public async Task Lines_split_across_chunks_are_joined_and_cut_at_the_bound()
    {
        var lines = new List<string>();
        var splitter = new LineSplitter(8, lines.Add);
        foreach (var chunk in new[] { "ab", "c\nde", "f\r\n12345678\n", "123456789abc\nnext", "" })
            splitter.Feed(Encoding.UTF8.GetBytes(chunk));
        await Assert.That(lines).IsEquivalentTo(new[] { "abc", "def", "12345678", "12345678" });
        splitter.Flush();
        await Assert.That(lines[^1]).IsEqualTo("next");
        splitter.Flush();
        await Assert.That(lines.Count).IsEqualTo(5);
    }

    [Test]
    public async Task Wait_status_words_are_decoded()
    {
        await Assert.That(ExitStatus.FromWaitStatus(2 << 8)).IsEqualTo(ExitStatus.Exited(2));
        await Assert.That(ExitStatus.FromWaitStatus(9)).IsEqualTo(ExitStatus.Killed(9));
        await Assert.That(ExitStatus.FromWaitStatus(11 | 0x80).ToString()).IsEqualTo("signal 11 (SIGSEGV), core dumped");
        await Assert.That(ExitStatus.Exited(2).ToString()).IsEqualTo("exit code 2");
        await Assert.That(ExitStatus.Killed(15).ToString()).IsEqualTo("signal 15 (SIGTERM)");
        await Assert.That(ExitStatus.Exited(0).Success).IsTrue();
        await Assert.That(ExitStatus.Killed(15).Success).IsFalse();
    }
}
