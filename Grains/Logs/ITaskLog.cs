using TaskGrid.Logs;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Logs;

/// <summary>
/// Where executors and workers write a task's log: the lines it prints and their own messages.
/// Lines are buffered and stored in batches by the silo's log writer, never one statement per line.
/// </summary>
public interface ITaskLog
{
    /// <summary>Queues a line the task printed; waits while the writer is far behind, which slows a flooding task down instead of growing memory.</summary>
    ValueTask WriteAsync(ClaimedTask task, TaskLogStream stream, string line, CancellationToken cancellationToken = default);

    /// <summary>Queues an executor's message about the task (unless system messages are turned off); never waits: dropped, and counted, if the buffer is full.</summary>
    void System(ClaimedTask task, string message);

    /// <summary>Completes once every line queued before the call has been stored (or given up on).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes once this task's lines queued before the call are stored, with true; with false
    /// when <paramref name="patience"/> runs out first; at once, with true, when it has none waiting.
    /// </summary>
    Task<bool> FlushAsync(ClaimedTask task, TimeSpan patience);
}
