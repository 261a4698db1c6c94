using Npgsql;
using NpgsqlTypes;
using TaskGrid.Access;
using TaskGrid.Artifacts;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Grids;
using TaskGrid.Observability;
using TaskGrid.Paging;
using TaskGrid.Errors;
using TaskGrid.Tasks;
using TaskGrid.Users;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Tasks;

/// <summary>Lists tasks and grids, each query scoped to what the caller may see.</summary>
internal sealed class CatalogGrain(GrainServices services) : ICatalogGrain
{
    public Task<Page<TaskView>> ListTasksAsync(Caller caller, TaskQuery query, CancellationToken cancellationToken = default)
    {
        ListQueryValidator.ThrowIfInvalid(query);
        if (query.GridId is { } gridId)
        {
            return new Grids.GridGrain(gridId, services).ListTasksAsync(caller, query, cancellationToken);
        }
        var limit = PageCursor.CheckLimit(query.Limit);
        var after = PageCursor.Decode(query.Cursor);
        if (!CanSee(caller, query.UserId))
        {
            return Task.FromResult(new Page<TaskView>([], null));
        }
        var owner = caller.OwnerScope ?? query.UserId;
        return services.Turns.RunStatementAsync("catalog.tasks", async connection =>
        {
            await using var command = new NpgsqlCommand(owner is null ? TaskQueries.TaskListAll : TaskQueries.TaskListByUser, connection)
                .WithNullable("status", query.Status?.ToName(), NpgsqlDbType.Text)
                .WithNullable("after", after, NpgsqlDbType.Uuid)
                .With("limit", limit + 1);
            if (owner is not null)
            {
                command.WithOwner(owner);
            }
            return PageCursor.ToPage(await TaskReader.ReadAllAsync(command, cancellationToken), limit, t => t.Id);
        }, cancellationToken);
    }

    public Task<Page<GridView>> ListGridsAsync(Caller caller, GridQuery query, CancellationToken cancellationToken = default)
    {
        ListQueryValidator.ThrowIfInvalid(query);
        var limit = PageCursor.CheckLimit(query.Limit);
        var after = PageCursor.Decode(query.Cursor);
        if (!CanSee(caller, query.UserId))
        {
            return Task.FromResult(new Page<GridView>([], null));
        }
        var owner = caller.OwnerScope ?? query.UserId;
        return services.Turns.RunStatementAsync("catalog.grids", async connection =>
        {
            await using var command = new NpgsqlCommand(owner is null ? GridQueries.GridListAll : GridQueries.GridListByUser, connection)
                .WithNullable("after", after, NpgsqlDbType.Uuid)
                .With("limit", limit + 1)
                .WithNow(services.Clock);
            if (owner is not null)
            {
                command.WithOwner(owner);
            }
            return PageCursor.ToPage(await GridReader.ReadAllAsync(command, cancellationToken), limit, g => g.Id);
        }, cancellationToken);
    }

    public Task<Page<UserView>> ListUsersAsync(Caller caller, UserQuery query, CancellationToken cancellationToken = default)
    {
        if (!caller.IsAdmin)
        {
            throw new AccessDeniedException("Only admins may list users; GET /v1/users/me shows your own.");
        }
        ListQueryValidator.ThrowIfInvalid(query);
        var limit = PageCursor.CheckLimit(query.Limit);
        var after = string.IsNullOrEmpty(query.Cursor) ? null : query.Cursor;
        return services.Turns.RunStatementAsync("catalog.users", async connection =>
        {
            await using var command = new NpgsqlCommand(UserQueries.UserList, connection)
                .WithNullable("after", after, NpgsqlDbType.Text).With("limit", limit + 1);
            var rows = await UserReader.ReadAllAsync(command, UserReader.Read, cancellationToken);
            if (rows.Count <= limit)
            {
                return new Page<UserView>(rows, null);
            }
            rows.RemoveAt(rows.Count - 1);
            return new Page<UserView>(rows, rows[^1].Id);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync<IReadOnlyList<ApiKeyView>>("catalog.keys", async connection =>
        {
            await using var command = new NpgsqlCommand(caller.IsAdmin ? ApiKeyQueries.ApiKeyListAll : ApiKeyQueries.ApiKeyListByUser, connection);
            if (!caller.IsAdmin)
            {
                command.WithOwner(caller.UserId);
            }
            return await UserReader.ReadAllAsync(command, UserReader.ReadKey, cancellationToken);
        }, cancellationToken);

    public Task<Page<ArtifactView>> ListArtifactsAsync(Caller caller, ArtifactQuery query, CancellationToken cancellationToken = default)
    {
        ListQueryValidator.ThrowIfInvalid(query);
        if (!CanSee(caller, query.UserId))
        {
            PageCursor.CheckLimit(query.Limit);
            return Task.FromResult(new Page<ArtifactView>([], null));
        }
        return services.Artifacts.ListAsync(caller.OwnerScope ?? query.UserId, query, cancellationToken);
    }

    public Task<Page<TaskFailureView>> ListFailuresAsync(Caller caller, FailureQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = PageCursor.CheckLimit(query.Limit);
        long? after = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            after = long.TryParse(query.Cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
                ? id
                : throw new RequestValidationException("cursor", "is not a cursor this API returned; pass next_cursor from the previous page unchanged.");
        }
        var owner = caller.OwnerScope;
        return services.Turns.RunStatementAsync("catalog.failures", async connection =>
        {
            await using var command = new NpgsqlCommand(owner is null ? TaskFailureQueries.TaskFailureListAll : TaskFailureQueries.TaskFailureListByUser, connection)
                .WithNullable("after", after, NpgsqlDbType.Bigint)
                .With("limit", limit + 1);
            if (owner is not null)
            {
                command.WithOwner(owner);
            }
            var rows = new List<TaskFailureView>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(new TaskFailureView(
                        Id: reader.GetInt64(0),
                        TaskId: reader.GetGuid(1),
                        UserId: reader.GetString(2),
                        GridId: reader.IsDBNull(3) ? null : reader.GetGuid(3),
                        Kind: reader.GetString(4),
                        Status: TaskStateNames.Parse(reader.GetString(5)),
                        Attempt: reader.GetInt32(6),
                        Error: reader.GetStringOrNull(7),
                        Objective: reader.GetStringOrNull(8),
                        FailedAt: reader.GetFieldValue<DateTimeOffset>(9)));
                }
            }
            if (rows.Count <= limit)
            {
                return new Page<TaskFailureView>(rows, null);
            }
            rows.RemoveAt(rows.Count - 1);
            return new Page<TaskFailureView>(rows, rows[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    public Task<TaskSummary> SummarizeTasksAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var owner = caller.OwnerScope;
        return services.Turns.RunStatementAsync("catalog.summary", async connection =>
        {
            var counts = TaskStateNames.All.ToDictionary(s => s.ToName(), _ => 0L, StringComparer.Ordinal);
            await using var command = owner is null
                ? new NpgsqlCommand(TaskCountQueries.TaskCountByKindAndStatus, connection)
                : new NpgsqlCommand(TaskCountQueries.TaskCountByOwner, connection).WithOwner(owner);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var status = owner is null ? 1 : 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[reader.GetString(status)] += reader.GetInt64(status + 1);
            }
            return new TaskSummary(owner is null ? "cluster" : "own", new TaskStateCounts(
                counts["pending"], counts["running"], counts["completed"], counts["failed"], counts["cancelled"], counts["expired"]));
        }, cancellationToken);
    }

    // A user filtering by someone else's id sees nothing rather than an error: the filter
    // itself must not reveal whether that user exists.
    private static bool CanSee(Caller caller, string? requestedOwner) =>
        caller.OwnerScope is null || requestedOwner is null || requestedOwner == caller.OwnerScope;
}
