using System.Text;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// Drains a child process's stream to the end (so the child never blocks on a full pipe)
/// while keeping at most a fixed number of bytes: the head for standard output, the tail for
/// standard error (where the reason for a failure usually is).
/// </summary>
internal sealed class BoundedCapture(int limit, bool keepTail) : IDisposable
{
    private readonly MemoryStream _kept = new();
    private long _total;

    public bool Truncated => _total > limit;

    public async Task DrainAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            _total += read;
            if (keepTail)
            {
                _kept.Write(buffer, 0, read);
                if (_kept.Length > limit * 2L)
                {
                    var tail = _kept.ToArray()[^limit..];
                    _kept.SetLength(0);
                    _kept.Write(tail);
                }
            }
            else if (_kept.Length < limit)
            {
                _kept.Write(buffer, 0, (int)Math.Min(read, limit - _kept.Length));
            }
        }
    }

    /// <summary>The kept bytes as text: invalid UTF-8 becomes U+FFFD and NUL (which PostgreSQL text refuses) is dropped.</summary>
    public string Text()
    {
        var bytes = _kept.ToArray();
        if (keepTail && bytes.Length > limit)
        {
            bytes = bytes[^limit..];
        }
        var text = Encoding.UTF8.GetString(bytes).Replace("\0", "", StringComparison.Ordinal);
        if (!Truncated)
        {
            return text;
        }
        var dropped = _total - limit;
        return keepTail
            ? $"[… {dropped} earlier bytes dropped]\n{text}"
            : $"{text}\n[… output truncated: {dropped} more bytes dropped, limit {limit} bytes]";
    }

    public void Dispose() => _kept.Dispose();
}
