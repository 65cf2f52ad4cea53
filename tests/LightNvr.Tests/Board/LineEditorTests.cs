using System.Text;
using LightNvr.Board.Console;

namespace LightNvr.Tests.Board;

/// <summary>The console's line discipline: bytes in, echo and lines out, with bounds.</summary>
public class LineEditorTests
{
    private static (string Echo, List<string> Lines, int TooLong) Feed(LineEditor e, byte[] bytes)
    {
        var echo = new List<byte>();
        var lines = new List<string>();
        var tooLong = 0;
        foreach (var b in bytes)
        {
            var r = e.Feed(b);
            echo.AddRange(r.Echo);
            if (r.Line is { } l) lines.Add(l);
            if (r.TooLong) tooLong++;
        }
        return (Encoding.UTF8.GetString(echo.ToArray()), lines, tooLong);
    }

    private static (string Echo, List<string> Lines, int TooLong) Feed(string text, bool echo = true) =>
        Feed(new LineEditor { Echo = echo }, Encoding.UTF8.GetBytes(text));

    [Test]
    [Arguments("status\r", "status")]
    [Arguments("status\n", "status")]
    [Arguments("status\r\n", "status")]                 // CR LF is one end of line, not an empty second line
    [Arguments("stx\batus\r", "status")]                // backspace
    [Arguments("stx\u007fatus\r", "status")]            // DEL (what most terminals send for backspace)
    [Arguments("junk\u0015status\r", "status")]          // Ctrl-U erases the line
    [Arguments("st\u001b[Aatus\r", "status")]           // an arrow key's escape sequence is ignored
    [Arguments("st\u0000\u0007\u0001atus\r", "status")]  // other control bytes are noise
    [Arguments("ü\b\r", "")]                           // backspace removes a whole UTF-8 character
    public async Task Bytes_become_the_line_a_person_meant(string typed, string line)
    {
        await Assert.That(Feed(typed).Lines).IsEquivalentTo([line]);
    }

    [Test]
    public async Task A_line_longer_than_1_KiB_is_refused_whole_and_the_next_line_works()
    {
        var (_, lines, tooLong) = Feed(new string('a', 5000) + "\r" + "help\r");
        await Assert.That(tooLong).IsEqualTo(1);
        await Assert.That(lines).IsEquivalentTo(["help"]);
        var exact = Feed(new string('b', LineEditor.MaxBytes) + "\r");
        await Assert.That(exact.Lines.Single().Length).IsEqualTo(LineEditor.MaxBytes);
    }

    [Test]
    public async Task Random_binary_noise_never_throws_and_a_clean_line_afterwards_still_works()
    {
        var random = new Random(17);
        var editor = new LineEditor();
        var noise = new byte[1 << 20];
        random.NextBytes(noise);
        var (_, lines, _) = Feed(editor, noise);
        await Assert.That(lines.All(l => Encoding.UTF8.GetByteCount(l) <= LineEditor.MaxBytes * 3)).IsTrue(); // replacement chars at most triple
        var after = Feed(editor, "\u0003status\r"u8.ToArray()); // Ctrl-C clears whatever the noise left
        await Assert.That(after.Lines).IsEquivalentTo(["status"]);
    }

    [Test]
    public async Task With_echo_off_nothing_typed_goes_back_down_the_line()
    {
        var (echo, lines, _) = Feed("hunter2-secret\bX\r", echo: false);
        await Assert.That(lines).IsEquivalentTo(["hunter2-secreX"]);
        await Assert.That(echo).IsEqualTo("\r\n");
        await Assert.That(Feed("ab\r").Echo).IsEqualTo("ab\r\n");
    }
}
