using Npgsql;
using NpgsqlTypes;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Grains.Tasks;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tasks;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Grids;

/// <summary>One grid. Each method is one transaction that locks the grid's row.</summary>
internal sealed class GridGrain(Guid id, GrainServices services) : IGridGrain
{
    public Guid Id => id;

    public async Task<GridView> CreateAsync(Caller caller, CreateGridRequest request, CancellationToken cancellationToken = default)
    {
        GridRequestValidator.ThrowIfInvalid(request, [.. services.Tasks.Kinds], services.Tasks.MaxTasksPerCall);
        var maxAttempts = request.MaxAttempts ?? services.Tasks.DefaultMaxAttempts;
        TimeSpan? taskTtl = request.TaskTtlSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : null;
        var defaults = new TaskDefaults(request.Priority ?? 0, maxAttempts, taskTtl);
        var requests = (request.Tasks ?? []).Concat(request.Matrix is { } matrix ? GridRequestValidator.ExpandMatrix(matrix) : []).ToList();
        try
        {
            return await services.Turns.RunAsync("grid.create", async (connection, transaction) =>
            {
                var owner = await TaskOwners.ResolveAsync(connection, transaction, caller, request.UserId, cancellationToken);
                if (requests.Count > 0)
                {
                    await TaskOwners.CheckPendingCapAsync(connection, transaction, owner, requests.Count, services.Tasks.MaxPendingTasksPerUser, cancellationToken);
                    var inline = request.Tasks?.Count ?? 0;
                    await ArtifactReferences.LockAsync(connection, transaction, owner,
                        ArtifactReferences.Of(requests, i => i < inline ? $"tasks[{i}].artifact_id" : "matrix.template.artifact_id"), cancellationToken);
                }
                await using (var insert = new NpgsqlCommand(GridQueries.GridInsert, connection, transaction))
                {
                    insert.With("id", id).With("user_id", owner).With("name", request.Name!.Trim())
                        .With("priority", defaults.Priority)
                        .WithNullable("max_concurrency", request.MaxConcurrency, NpgsqlDbType.Integer)
                        .With("max_attempts", maxAttempts)
                        .WithNullable("task_ttl", taskTtl, NpgsqlDbType.Interval)
                        .WithNullable("active_from", request.ActiveFrom?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
                        .WithNullable("retire_at", request.RetireAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
                        .WithNow(services.Clock);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                if (requests.Count > 0)
                {
                    var tasks = requests.Select(t => NewTask.From(t, Guid.CreateVersion7(), owner, defaults, id)).ToList();
                    await InsertTasksAsync(connection, transaction, tasks, caller, cancellationToken);
                }
                return await SelectAsync(connection, transaction, caller, forUpdate: false, cancellationToken);
            }, cancellationToken);
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            throw new StateConflictException($"Grid {id} already exists.");
        }
    }

    public Task<GridView> GetAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("grid.get", connection => SelectAsync(connection, null, caller, forUpdate: false, cancellationToken), cancellationToken);

    public Task<AddedTasks> AddTasksAsync(Caller caller, IReadOnlyList<SubmitTaskRequest> tasks, CancellationToken cancellationToken = default)
    {
        GridRequestValidator.ThrowIfInvalid(tasks, [.. services.Tasks.Kinds], services.Tasks.MaxTasksPerCall);
        return services.Turns.RunAsync("grid.add-tasks", async (connection, transaction) =>
        {
            var grid = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            if (grid.Status == GridStatus.Cancelled)
            {
                throw new StateConflictException($"Grid {id} is cancelled; create a new grid for these tasks.");
            }
            ThrowIfRetired(grid, "take new tasks");
            await TaskOwners.CheckPendingCapAsync(connection, transaction, grid.UserId, tasks.Count, services.Tasks.MaxPendingTasksPerUser, cancellationToken);
            await ArtifactReferences.LockAsync(connection, transaction, grid.UserId, ArtifactReferences.Of(tasks, i => $"[{i}].artifact_id"), cancellationToken);
            var defaults = new TaskDefaults(grid.Priority, grid.MaxAttempts, grid.TaskTtlSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : null);
            var rows = tasks.Select(t => NewTask.From(t, Guid.CreateVersion7(), grid.UserId, defaults, id)).ToList();
            await InsertTasksAsync(connection, transaction, rows, caller, cancellationToken);
            return new AddedTasks(id, rows.Count, [.. rows.Select(r => r.Id)]);
        }, cancellationToken);
    }

    public Task<Page<TaskView>> ListTasksAsync(Caller caller, TaskQuery query, CancellationToken cancellationToken = default)
    {
        var limit = PageCursor.CheckLimit(query.Limit);
        var after = PageCursor.Decode(query.Cursor);
        return services.Turns.RunStatementAsync("grid.list-tasks", async connection =>
        {
            await SelectAsync(connection, null, caller, forUpdate: false, cancellationToken);
            await using var command = new NpgsqlCommand(TaskQueries.TaskListByGrid, connection)
                .With("grid_id", id).WithOwner(caller.OwnerScope)
                .WithNullable("status", query.Status?.ToName(), NpgsqlDbType.Text)
                .WithNullable("after", after, NpgsqlDbType.Uuid)
                .With("limit", limit + 1);
            return PageCursor.ToPage(await TaskReader.ReadAllAsync(command, cancellationToken), limit, t => t.Id);
        }, cancellationToken);
    }

    public Task<GridView> UpdateAsync(Caller caller, UpdateGridRequest request, CancellationToken cancellationToken = default)
    {
        GridRequestValidator.ThrowIfInvalid(request);
        return services.Turns.RunAsync("grid.update", async (connection, transaction) =>
        {
            var grid = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            var activeFrom = request.ClearActiveFrom == true ? null : request.ActiveFrom ?? grid.ActiveFrom;
            var retireAt = request.ClearRetireAt == true ? null : request.RetireAt ?? grid.RetireAt;
            var errors = new ValidationErrors();
            GridRequestValidator.ValidateWindow(errors, activeFrom, retireAt);
            errors.ThrowIfAny();
            await using (var update = new NpgsqlCommand(GridQueries.GridSetWindow, connection, transaction))
            {
                update.With("id", id).With("version", grid.Version)
                    .WithNullable("active_from", activeFrom?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
                    .WithNullable("retire_at", retireAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
                    .WithNow(services.Clock);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            // A past retire_at retires the grid here (no task of it is claimed or added from now on);
            // the scheduler's window duty expires its pending tasks within a second, in batches,
            // so that a grid of a million tasks does not expire them in one request.
            var updated = await SelectAsync(connection, transaction, caller, forUpdate: false, cancellationToken);
            // The window may have opened: idle workers look now, and silos re-read the next due time.
            await using (var notify = new NpgsqlCommand(GridQueries.GridNotifyClaimable, connection, transaction))
            {
                await notify.ExecuteNonQueryAsync(cancellationToken);
            }
            return updated;
        }, cancellationToken);
    }

    private void ThrowIfRetired(GridView grid, string what)
    {
        if (grid.RetiredAt is { } retired)
        {
            throw new StateConflictException(
                $"Grid {id} retired at {retired:O} and cannot {what}; move its retire_at later with PATCH /v1/grids/{id} to reopen it.");
        }
    }

    public Task<GridChange> PauseAsync(Caller caller, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(caller, "grid.pause", GridStatus.Paused, cancellationToken);

    public Task<GridChange> ResumeAsync(Caller caller, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(caller, "grid.resume", GridStatus.Active, cancellationToken);

    public Task<GridChange> CancelAsync(Caller caller, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(caller, "grid.cancel", GridStatus.Cancelled, cancellationToken);

    public Task<GridChange> RetryFailedAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunAsync("grid.retry-failed", async (connection, transaction) =>
        {
            var grid = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            if (grid.Status == GridStatus.Cancelled)
            {
                throw new StateConflictException($"Grid {id} is cancelled; its tasks cannot be retried.");
            }
            ThrowIfRetired(grid, "retry tasks");
            var affected = await ExecuteAsync(connection, transaction, GridQueries.GridRetryFailedTasks, caller, cancellationToken);
            return new GridChange(await SelectAsync(connection, transaction, caller, forUpdate: false, cancellationToken), affected);
        }, cancellationToken);

    private Task<GridChange> ChangeStateAsync(Caller caller, string turn, GridStatus target, CancellationToken cancellationToken) =>
        services.Turns.RunAsync(turn, async (connection, transaction) =>
        {
            var grid = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            var state = grid.Status == GridStatus.Finished ? GridStatus.Active : grid.Status;
            var allowed = (state, target) switch
            {
                (GridStatus.Active, GridStatus.Paused) => true,
                (GridStatus.Paused, GridStatus.Active) => true,
                (GridStatus.Active or GridStatus.Paused, GridStatus.Cancelled) => true,
                _ => false,
            };
            if (!allowed)
            {
                var verb = target switch { GridStatus.Paused => "paused", GridStatus.Active => "resumed", _ => "cancelled" };
                var need = target switch { GridStatus.Paused => "an active grid", GridStatus.Active => "a paused grid", _ => "an active or paused grid" };
                throw new StateConflictException($"Grid {id} is {grid.Status.ToString().ToLowerInvariant()}; only {need} can be {verb}.");
            }
            await using (var update = new NpgsqlCommand(GridQueries.GridSetState, connection, transaction))
            {
                update.With("id", id).With("version", grid.Version)
                    .With("state", target.ToString().ToLowerInvariant()).WithNow(services.Clock);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            var affected = 0;
            if (target == GridStatus.Cancelled)
            {
                await ExecuteAsync(connection, transaction, GridQueries.GridMarkLeasedRunning, caller, cancellationToken);
                affected = await ExecuteAsync(connection, transaction, GridQueries.GridCancelTasks, caller, cancellationToken);
            }
            else if (target == GridStatus.Active)
            {
                await using var notify = new NpgsqlCommand(GridQueries.GridNotifyClaimable, connection, transaction);
                await notify.ExecuteNonQueryAsync(cancellationToken);
            }
            return new GridChange(await SelectAsync(connection, transaction, caller, forUpdate: false, cancellationToken), affected);
        }, cancellationToken);

    private async Task InsertTasksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<NewTask> tasks, Caller caller, CancellationToken cancellationToken)
    {
        await using var command = NewTaskBatch.Bind(new NpgsqlCommand(TaskQueries.TaskInsertMany, connection, transaction), tasks, "api:" + caller.UserId, services.Clock);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Caller caller, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction)
            .With("id", id).With("actor", "api:" + caller.UserId).WithNow(services.Clock);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<GridView> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Caller caller, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(forUpdate ? GridQueries.GridSelectForUpdate : GridQueries.GridSelect, connection, transaction)
            .With("id", id).WithOwner(caller.OwnerScope).WithNow(services.Clock);
        return await GridReader.ReadSingleAsync(command, cancellationToken)
            ?? throw new ResourceNotFoundException("grid", id.ToString());
    }
}
