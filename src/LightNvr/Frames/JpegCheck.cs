namespace LightNvr.Frames;

/// <summary>
/// Is this really a JPEG? go2rtc answers 200 with an empty body when the camera is unreachable, and a
/// confused transcoder can answer anything: check the SOI/EOI markers and read the header segments as
/// far as the frame header (SOFn), which gives the size. Pure.
/// </summary>
public static class JpegCheck
{
    public sealed record Info(int Width, int Height);

    /// <returns>The image size, or null when the bytes are not a JPEG we could decode as far as its header.</returns>
    public static Info? Inspect(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8 || data[^2] != 0xFF || data[^1] != 0xD9) return null;
        var i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF) return null;
            var marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; } // fill byte
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; } // markers without a length
            var length = (data[i + 2] << 8) | data[i + 3];
            if (length < 2 || i + 2 + length > data.Length) return null;
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 7) return null;
                var height = (data[i + 5] << 8) | data[i + 6];
                var width = (data[i + 7] << 8) | data[i + 8];
                return width > 0 && height > 0 ? new Info(width, height) : null;
            }
            if (marker == 0xDA) return null; // scan data before any frame header
            i += 2 + length;
        }
        return null;
    }
}
