using System.Text;

namespace LightNvr.Posix;

/// <summary>
/// Cuts one byte stream into lines. Memory is bounded by <c>maxLineBytes</c> whatever the child
/// writes (a go2rtc dumping a binary blob without newlines must not grow us without limit): a
/// longer line is delivered cut at the bound and the rest of it, up to the next newline, discarded.
/// </summary>
internal sealed class LineSplitter(int maxLineBytes, Action<string> emit)
{
    private readonly byte[] _line = new byte[maxLineBytes];
    private int _count;
    private bool _discarding; // the current line was too long and has been delivered cut

    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var part = newline < 0 ? data : data[..newline];
            Append(part);
            if (newline < 0) return;
            if (_discarding) _discarding = false;
            else Emit();
            data = data[(newline + 1)..];
        }
    }

    /// <summary>At EOF: a last line without a newline is still a line (often the fatal error).</summary>
    public void Flush()
    {
        if (_count > 0) Emit();
        _discarding = false;
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_discarding) return;
        var room = _line.Length - _count;
        if (part.Length <= room)
        {
            part.CopyTo(_line.AsSpan(_count));
            _count += part.Length;
            return;
        }
        part[..room].CopyTo(_line.AsSpan(_count));
        _count += room;
        Emit();
        _discarding = true;
    }

    private void Emit()
    {
        var length = _count;
        if (length > 0 && _line[length - 1] == (byte)'\r') length--;
        _count = 0;
        emit(Encoding.UTF8.GetString(_line, 0, length));
    }
}
