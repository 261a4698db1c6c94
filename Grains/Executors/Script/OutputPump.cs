using System.Text;
using TaskGrid.Grains.Logs;
using TaskGrid.Logs;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Executors.Script;

/// <summary>
/// Reads one of a script's output pipes to the end (so the script never blocks on a full
/// pipe), keeps what the task result needs in a <see cref="BoundedCapture"/>, and writes each
/// line to the task's log while the attempt's <see cref="LogBudget"/> lasts. A line longer
/// than the longest stored line is stored in pieces, so no line is held whole in memory.
/// </summary>
internal sealed class OutputPump(ClaimedTask task, TaskLogStream stream, ITaskLog log, LogBudget budget, BoundedCapture capture, int maxLineBytes)
{
    public async Task RunAsync(Stream source)
    {
        var buffer = new byte[16 * 1024];
        var line = new byte[maxLineBytes];
        var length = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0)
            {
                capture.Append(buffer.AsSpan(0, read));
                for (var position = 0; position < read;)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', position, read - position);
                    var end = newline < 0 ? read : newline;
                    while (position < end)
                    {
                        var count = Math.Min(end - position, maxLineBytes - length);
                        Array.Copy(buffer, position, line, length, count);
                        length += count;
                        position += count;
                        if (length == maxLineBytes)
                        {
                            await EmitAsync(line, length);
                            length = 0;
                        }
                    }
                    if (newline >= 0)
                    {
                        await EmitAsync(line, length);
                        length = 0;
                        position = newline + 1;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pipe was closed under us: the attempt ended and a leftover process held it.
        }
        if (length > 0)
        {
            await EmitAsync(line, length);
        }
    }

    private async Task EmitAsync(byte[] line, int length)
    {
        if (!budget.TryTake(length + 1))
        {
            if (budget.FirstOverrun())
            {
                log.System(task, $"This attempt's output passed the log limit of {budget.Limit} bytes; further lines are counted, not stored.");
            }
            return;
        }
        if (length > 0 && line[length - 1] == (byte)'\r')
        {
            length--;
        }
        await log.WriteAsync(task, stream, Encoding.UTF8.GetString(line, 0, length));
    }
}

/// <summary>
/// How many bytes of output one attempt may store in its log, shared by its stdout and stderr.
/// A line counts at least <see cref="MinimumLineCost"/> bytes, about what a stored row costs
/// beyond its text, so that a flood of empty lines is bounded in rows as well as in bytes.
/// </summary>
internal sealed class LogBudget(long limit)
{
    public const int MinimumLineCost = 64;

    private long _used;
    private long _dropped;
    private int _overrun;

    public long Limit => limit;

    /// <summary>Bytes not stored because the budget was spent.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool TryTake(int bytes)
    {
        bytes = Math.Max(bytes, MinimumLineCost);
        if (Interlocked.Add(ref _used, bytes) <= limit)
        {
            return true;
        }
        Interlocked.Add(ref _dropped, bytes);
        return false;
    }

    /// <summary>True exactly once: the first time the budget is passed.</summary>
    public bool FirstOverrun() => Interlocked.Exchange(ref _overrun, 1) == 0;
}
