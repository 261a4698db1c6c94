using System.Globalization;
using Npgsql;
using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Errors;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Logs;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Logs;
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
        var artifacts = ArtifactReferences.Of([request], _ => "artifact_id");
        try
        {
            // The common case, the caller's own task naming no artifact, is one statement pair in
            // one implicit transaction: one round trip, on the pickup path of every task.
            if (artifacts.Count == 0 && (string.IsNullOrEmpty(request.UserId) || request.UserId == caller.UserId))
            {
                return await services.Turns.RunStatementAsync("task.submit", connection =>
                    InsertAsync(connection, null, NewTask.From(request, id, caller.UserId, defaults, gridId: null), caller, cancellationToken), cancellationToken);
            }
            return await services.Turns.RunAsync("task.submit", async (connection, transaction) =>
            {
                var owner = await TaskOwners.ResolveAsync(connection, transaction, caller, request.UserId, cancellationToken);
                await ArtifactReferences.LockAsync(connection, transaction, owner, artifacts, cancellationToken);
                return await InsertAsync(connection, transaction, NewTask.From(request, id, owner, defaults, gridId: null), caller, cancellationToken);
            }, cancellationToken);
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            throw new StateConflictException($"Task {id} already exists.");
        }
    }

    /// <summary>Inserts the task and checks its owner's cap after it (a refusal rolls the insert back).</summary>
    private Task<TaskView> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, NewTask task, Caller caller, CancellationToken cancellationToken) =>
        TaskOwners.RefusingPastCapAsync(async () =>
        {
            await using var command = NewTaskBatch.Bind(new NpgsqlCommand(TaskQueries.TaskInsertThenCheckPendingCap, connection, transaction), [task], "api:" + caller.UserId, services.Clock)
                .WithPendingCapCheck(task.UserId, adding: 1, services.Tasks.MaxPendingTasksPerUser, included: true);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var submitted = TaskReader.Read(reader);
            // The cap check is the second statement: its refusal surfaces here.
            await reader.NextResultAsync(cancellationToken);
            return submitted;
        });

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

    public Task<TaskLogPage> GetLogsAsync(Caller caller, TaskLogQuery query, CancellationToken cancellationToken = default)
    {
        var limit = PageCursor.CheckLimit(query.Limit);
        var after = DecodeLogCursor(query.Cursor);
        return services.Turns.RunStatementAsync("task.logs", async connection =>
        {
            await using var command = new NpgsqlCommand(TaskLogQueries.TaskLogPage, connection)
                .With("task_id", id).WithOwner(caller.OwnerScope).With("after", after).With("limit", limit + 1);
            TaskState? status = null;
            var lines = new List<TaskLogLine>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    status = TaskStateNames.Parse(reader.GetString(0));
                    if (!reader.IsDBNull(1))
                    {
                        lines.Add(new TaskLogLine(
                            Seq: reader.GetInt64(1),
                            TaskId: id,
                            Attempt: reader.GetInt32(2),
                            At: reader.GetFieldValue<DateTimeOffset>(3),
                            Stream: TaskLogStreams.Parse(reader.GetString(4)),
                            Line: reader.GetString(5)));
                    }
                }
            }
            if (status is not { } state)
            {
                throw new ResourceNotFoundException("task", id.ToString());
            }
            var hasMore = lines.Count > limit;
            if (hasMore)
            {
                lines.RemoveAt(lines.Count - 1);
            }
            var next = lines.Count > 0 ? lines[^1].Seq : after;
            return new TaskLogPage(lines, next.ToString(CultureInfo.InvariantCulture), hasMore, state);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<TaskArtifactView>> ListArtifactsAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("task.artifacts", async connection =>
        {
            await SelectAsync(connection, null, caller, forUpdate: false, cancellationToken);
            return await ArtifactRepository.ListForTaskAsync(connection, id, cancellationToken);
        }, cancellationToken);

    // Log cursors are the seq of the last line seen; they never go stale as lines are added.
    private static long DecodeLogCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }
        return long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? seq
            : throw new RequestValidationException("cursor", "is not a log cursor; pass next_cursor from a previous page (or a line's seq) unchanged.");
    }

    // A turn that changes the task first writes it running if a claim holds it with its row still
    // pending (migration 0017): the turn then sees, and changes, what the API shows.
    private async Task<TaskView> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Caller caller, bool forUpdate, CancellationToken cancellationToken)
    {
        if (forUpdate)
        {
            await using var mark = new NpgsqlCommand(TaskQueries.TaskMarkLeasedRunning, connection, transaction)
                .With("id", id).WithNow(services.Clock);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
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
