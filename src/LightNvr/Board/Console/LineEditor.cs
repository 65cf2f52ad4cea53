using System.Text;

namespace LightNvr.Board.Console;

/// <summary>What one byte from the line did: bytes to send back (the echo), and a finished line if any.</summary>
public readonly record struct EditResult(byte[] Echo, string? Line, bool TooLong, bool Interrupted)
{
    public static EditResult Nothing { get; } = new([], null, false, false);
}

/// <summary>
/// Turns the bytes a serial terminal sends into lines, the way a tty in canonical mode would, but with
/// bounds: a line is at most <see cref="MaxBytes"/> (the rest is dropped and the line refused), control
/// bytes and escape sequences (arrow keys, line noise) are ignored, and echo can be turned off for passwords.
/// Pure: no I/O, one byte in, one result out.
/// </summary>
public sealed class LineEditor
{
    public const int MaxBytes = 1024;
    private readonly byte[] _line = new byte[MaxBytes];
    private int _length;
    private bool _overflow;
    private bool _lastWasCr;
    private int _escape; // 0 none, 1 after ESC, 2 inside a CSI sequence

    /// <summary>Off while a password is typed: nothing of it goes back down the line.</summary>
    public bool Echo { get; set; } = true;

    public EditResult Feed(byte b)
    {
        var afterCr = _lastWasCr;
        _lastWasCr = b == '\r';
        if (_escape == 1) { _escape = b == '[' ? 2 : 0; return EditResult.Nothing; }
        if (_escape == 2) { if (b is >= 0x40 and <= 0x7e) _escape = 0; return EditResult.Nothing; }
        switch (b)
        {
            case (byte)'\n' when afterCr: return EditResult.Nothing; // CR LF is one end of line
            case (byte)'\r' or (byte)'\n': return EndOfLine();
            case 0x1b: _escape = 1; return EditResult.Nothing;
            case 0x03: Clear(); return new EditResult("^C\r\n"u8.ToArray(), null, false, true);
            case 0x15: return Erase(_length);                                                   // Ctrl-U
            case 0x08 or 0x7f: return Erase(LastCharLength());
            case < 0x20: return EditResult.Nothing;                                             // other control bytes: noise
        }
        if (_length == MaxBytes) { _overflow = true; return EditResult.Nothing; }
        _line[_length++] = b;
        return new EditResult(Echo ? [b] : [], null, false, false);
    }

    private EditResult EndOfLine()
    {
        var tooLong = _overflow;
        var line = tooLong ? null : Encoding.UTF8.GetString(_line, 0, _length);
        Clear();
        return new EditResult("\r\n"u8.ToArray(), line, tooLong, false);
    }

    private EditResult Erase(int bytes)
    {
        if (bytes == 0) return EditResult.Nothing;
        var chars = Encoding.UTF8.GetCharCount(_line, _length - bytes, bytes);
        _length -= bytes;
        if (!Echo) return EditResult.Nothing;
        var rub = new StringBuilder();
        for (var i = 0; i < chars; i++) rub.Append("\b \b");
        return new EditResult(Encoding.ASCII.GetBytes(rub.ToString()), null, false, false);
    }

    /// <summary>The bytes of the last UTF-8 character (continuation bytes are 10xxxxxx).</summary>
    private int LastCharLength()
    {
        var i = _length;
        while (i > 0 && (_line[i - 1] & 0xC0) == 0x80) i--;
        return i > 0 ? _length - i + 1 : _length;
    }

    private void Clear()
    {
        Array.Clear(_line, 0, _length); // a password typed here does not linger in memory longer than needed
        _length = 0;
        _overflow = false;
        _escape = 0;
    }
}
