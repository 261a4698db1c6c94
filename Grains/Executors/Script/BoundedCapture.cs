using System.Text;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// Keeps at most a fixed number of the bytes a child process printed: the head for standard
/// output (the task's result), the tail for standard error (where the reason for a failure
/// usually is). Everything else is only counted.
/// </summary>
internal sealed class BoundedCapture(int limit, bool keepTail) : IDisposable
{
    private readonly MemoryStream _kept = new();
    private long _total;

    public bool Truncated => _total > limit;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _total += bytes.Length;
        if (keepTail)
        {
            _kept.Write(bytes);
            if (_kept.Length > limit * 2L)
            {
                var tail = _kept.ToArray()[^limit..];
                _kept.SetLength(0);
                _kept.Write(tail);
            }
        }
        else if (_kept.Length < limit)
        {
            _kept.Write(bytes[..(int)Math.Min(bytes.Length, limit - _kept.Length)]);
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
