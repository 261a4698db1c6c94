using Npgsql;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Tasks;

/// <summary>One task. Each method is one transaction that locks the task's row.</summary>
internal sealed class TaskGrain(Guid id, GrainServices services) : ITaskGrain
{
    public Guid Id => id;

    public async Task<TaskView> SubmitAsync(Caller caller, SubmitTaskRequest request, CancellationToken cancellationToken = default)
    {
        TaskRequestValidator.ThrowIfInvalid(request, [.. services.Tasks.Kinds]);
        var defaults = new TaskDefaults(Priority: 0, services.Tasks.DefaultMaxAttempts, services.Tasks.DefaultTtl);
        try
        {
            return await services.Turns.RunAsync("task.submit", async (connection, transaction) =>
            {
                var owner = await TaskOwners.ResolveAsync(connection, transaction, caller, request.UserId, cancellationToken);
                await TaskOwners.CheckPendingCapAsync(connection, transaction, owner, 1, services.Tasks.MaxPendingTasksPerUser, cancellationToken);
                var task = NewTask.From(request, id, owner, defaults, gridId: null);
                await using var command = NewTaskBatch.Bind(new NpgsqlCommand(TaskQueries.TaskInsertOne, connection, transaction), [task], "api:" + caller.UserId, services.Clock);
                return (await TaskReader.ReadSingleAsync(command, cancellationToken))!;
            }, cancellationToken);
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            throw new StateConflictException($"Task {id} already exists.");
        }
    }

    public async Task<TaskView> GetAsync(Caller caller, CancellationToken cancellationToken = default) =>
        await services.Turns.RunStatementAsync("task.get", connection => SelectAsync(connection, null, caller, forUpdate: false, cancellationToken), cancellationToken);

    public Task<TaskView> CancelAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunAsync("task.cancel", async (connection, transaction) =>
        {
            var task = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            if (!TaskTransitions.IsCancellable(task.Status))
            {
                throw new StateConflictException($"Task {id} is {task.Status.ToName()}; only pending or running tasks can be cancelled.");
            }
            await using var command = new NpgsqlCommand(TaskQueries.TaskCancel, connection, transaction)
                .With("id", id).With("version", task.Version)
                .With("actor", "api:" + caller.UserId).With("reason", "cancelled by " + caller.UserId)
                .WithNow(services.Clock);
            return await TaskReader.ReadSingleAsync(command, cancellationToken) ?? throw VersionMoved();
        }, cancellationToken);

    public Task<TaskView> RetryAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunAsync("task.retry", async (connection, transaction) =>
        {
            var task = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            if (!TaskTransitions.IsRetryable(task.Status))
            {
                throw new StateConflictException($"Task {id} is {task.Status.ToName()}; only failed, cancelled or expired tasks can be retried.");
            }
            if (task.GridId is { } gridId && await IsGridCancelledAsync(connection, transaction, gridId, cancellationToken))
            {
                throw new StateConflictException($"Task {id} belongs to grid {gridId}, which is cancelled; add the task to an active grid instead.");
            }
            await using var command = new NpgsqlCommand(TaskQueries.TaskRetry, connection, transaction)
                .With("id", id).With("version", task.Version)
                .With("actor", "api:" + caller.UserId)
                .WithNow(services.Clock);
            return await TaskReader.ReadSingleAsync(command, cancellationToken) ?? throw VersionMoved();
        }, cancellationToken);

    public Task<IReadOnlyList<TaskEventView>> GetEventsAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync<IReadOnlyList<TaskEventView>>("task.events", async connection =>
        {
            await SelectAsync(connection, null, caller, forUpdate: false, cancellationToken);
            await using var command = new NpgsqlCommand(TaskEventQueries.TaskEventListByTask, connection).With("task_id", id);
            var events = new List<TaskEventView>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new TaskEventView(
                    Id: reader.GetInt64(0),
                    TaskId: reader.GetGuid(1),
                    From: reader.IsDBNull(2) ? null : TaskStateNames.Parse(reader.GetString(2)),
                    To: TaskStateNames.Parse(reader.GetString(3)),
                    At: reader.GetFieldValue<DateTimeOffset>(4),
                    Attempt: reader.GetInt32(5),
                    Worker: reader.GetStringOrNull(6),
                    Reason: reader.GetStringOrNull(7)));
            }
            return events;
        }, cancellationToken);

    private async Task<TaskView> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Caller caller, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(forUpdate ? TaskQueries.TaskSelectForUpdate : TaskQueries.TaskSelect, connection, transaction)
            .With("id", id).WithOwner(caller.OwnerScope);
        return await TaskReader.ReadSingleAsync(command, cancellationToken)
            ?? throw new ResourceNotFoundException("task", id.ToString());
    }

    private static async Task<bool> IsGridCancelledAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid gridId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(GridQueries.GridStateSelect, connection, transaction).With("id", gridId);
        return await command.ExecuteScalarAsync(cancellationToken) is "cancelled";
    }

    // The row is locked by the turn, so its version cannot move; reaching this is a bug.
    private InvalidOperationException VersionMoved() => new($"Task {id} changed while locked by its own turn.");
}
