using TaskGrid.Workers;

namespace TaskGrid.Grains.Executors;

/// <summary>
/// Runs one kind of task. Implementations are registered by <see cref="Kind"/>; a silo
/// runs any task whose kind has an executor. Throwing is a retryable failure; return
/// <see cref="ExecutionOutcome.Failed"/> to say whether a retry can help.
/// </summary>
public interface ITaskExecutor
{
    /// <summary>The task kind this executor runs, for example <c>codegen</c>.</summary>
    string Kind { get; }

    /// <summary>Runs one attempt. <paramref name="cancellationToken"/> fires when the task is cancelled, its lease is lost or the silo stops.</summary>
    Task<ExecutionOutcome> ExecuteAsync(ClaimedTask task, CancellationToken cancellationToken);
}
