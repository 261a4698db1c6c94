using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Logs;

namespace TaskGrid.Tasks;

/// <summary>
/// One task, keyed by its id. Every method is one turn: one PostgreSQL transaction on the
/// task's row, so turns of one task are serialized cluster-wide. Throws
/// <see cref="Errors.ResourceNotFoundException"/> when the task does not exist or the caller may not
/// see it, and <see cref="Errors.StateConflictException"/> when its state forbids the change.
/// </summary>
public interface ITaskGrain
{
    /// <summary>The task's id.</summary>
    Guid Id { get; }

    /// <summary>Creates the task as pending. Throws <see cref="Errors.RequestValidationException"/> for bad input.</summary>
    Task<TaskView> SubmitAsync(Caller caller, SubmitTaskRequest request, CancellationToken cancellationToken = default);

    /// <summary>The task as it is now.</summary>
    Task<TaskView> GetAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending or running task; a running attempt is told to stop.</summary>
    Task<TaskView> CancelAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Puts a failed, cancelled or expired task back to pending with a fresh attempt budget.</summary>
    Task<TaskView> RetryAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Every recorded state change of the task, oldest first.</summary>
    Task<IReadOnlyList<TaskEventView>> GetEventsAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>A page of the task's log lines (stdout, stderr and the executor's messages), oldest first, with the task's status.</summary>
    Task<TaskLogPage> GetLogsAsync(Caller caller, TaskLogQuery query, CancellationToken cancellationToken = default);

    /// <summary>The files the task wrote under <c>out/</c>, saved as artifacts of its owner, by path.</summary>
    Task<IReadOnlyList<TaskArtifactView>> ListArtifactsAsync(Caller caller, CancellationToken cancellationToken = default);
}
