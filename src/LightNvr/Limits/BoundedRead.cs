namespace LightNvr.Limits;

/// <summary>A body read whole only while it stays within a size: a peer cannot make us hold more.</summary>
public static class BoundedRead
{
    /// <summary>The bytes of <paramref name="body"/>, or null as soon as it passes <paramref name="max"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, int max, CancellationToken cancel)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + n > max) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
