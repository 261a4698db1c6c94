using Npgsql;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Support;

internal static class TestDatabaseExtensions
{
    /// <summary>
    /// Cancels every pending or running task (through the same triggers as any change, so grid
    /// counts stay right) and stops every silo that earlier tests left as members.
    /// </summary>
    public static async Task CancelLeftoversAsync(this TestDatabase database)
    {
        await database.ExecuteAsync("""
            update tasks
            set status = 'cancelled', lease_owner = null, lease_token = null,
                completed_at = now(), updated_at = now(), transition_actor = 'test', transition_reason = 'left over by an earlier test'
            where status in ('pending', 'running')
            """);
        await database.ExecuteAsync("update silos set state = 'stopped', stopped_at = now() where state in ('active', 'draining')");
    }

    /// <summary>The task's row, read straight from the table.</summary>
    public static async Task<TaskRow> TaskRowAsync(this TestDatabase database, Guid id)
    {
        await using var command = database.DataSource.CreateCommand("""
            select status, attempt, lease_token, lease_owner, run_at, expires_at, error, version, completed_at, output
            from tasks where id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"task {id} does not exist");
        return new TaskRow(
            reader.GetString(0),
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetGuid(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7),
            reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            reader.IsDBNull(9) ? null : reader.GetString(9));
    }

    /// <summary>Status and count of every task of a grid, counted from the tasks table.</summary>
    public static async Task<Dictionary<string, int>> GridStatusCountsAsync(this TestDatabase database, Guid gridId)
    {
        await using var command = database.DataSource.CreateCommand("select status, count(*)::integer from tasks where grid_id = @id group by status");
        command.Parameters.AddWithValue("id", gridId);
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }
        return counts;
    }

    /// <summary>Users whose pending counter (user_pending) differs from their pending tasks, as "user: counted/actual".</summary>
    public static async Task<List<string>> UserPendingMismatchesAsync(this TestDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("""
            select coalesce(c.user_id, t.user_id) || ': ' || coalesce(c.n, 0) || '/' || coalesce(t.n, 0)
            from (select user_id, sum(count) as n from user_pending group by user_id) c
            full join (select user_id, count(*) as n from tasks where status = 'pending' group by user_id) t on t.user_id = c.user_id
            where coalesce(c.n, 0) <> coalesce(t.n, 0)
            """);
        var mismatches = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            mismatches.Add(reader.GetString(0));
        }
        return mismatches;
    }

    /// <summary>
    /// Tasks whose queue row disagrees with their status, as "id: status, queued|not queued": a
    /// pending task must have exactly one task_queue row with its own lane, priority, due time and
    /// expiry, and no other task any (migration 0012), unless a lease holds it at its current
    /// version, in which case it has none (migration 0017).
    /// </summary>
    public static async Task<List<string>> QueueMismatchesAsync(this TestDatabase database)
    {
        await using var command = database.DataSource.CreateCommand("""
            select coalesce(t.id, q.task_id)::text || ': ' || coalesce(t.status, 'no task') || ', '
                   || case when q.task_id is null then 'not queued' else 'queued' end
            from (select * from tasks where status = 'pending') t
            full join task_queue q on q.task_id = t.id
            left join lateral (
                select true as leased
                from task_lease_entries e
                where e.task_id = t.id and e.version = t.version
                limit 1
            ) h on true
            where t.id is null or (q.task_id is null) <> coalesce(h.leased, false)
               or (q.task_id is not null
                   and (q.grid_id is distinct from t.grid_id or q.priority <> t.priority or q.run_at <> t.run_at
                        or q.expires_at is distinct from t.expires_at))
            """);
        var mismatches = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            mismatches.Add(reader.GetString(0));
        }
        return mismatches;
    }

    /// <summary>
    /// Grids with a claimable task whose lane is closed (has_work false), which claimers would
    /// never look at: the one thing the lane bookkeeping of migration 0011 must never allow. A
    /// claimable task is a queued one (a pending task a lease holds has no queue row).
    /// </summary>
    public static Task<long> StrandedGridsAsync(this TestDatabase database) => database.ScalarAsync<long>("""
        select count(*) from grids g
        where not g.has_work and exists (select 1 from task_queue q where q.grid_id = g.id)
        """);

    /// <summary>
    /// Locks the row of <paramref name="table"/> whose <paramref name="key"/> is <paramref name="id"/>
    /// in <paramref name="transaction"/>, as a claim, a cancel or a submission in progress would
    /// hold it, and asserts the row was there to lock.
    /// </summary>
    public static async Task HoldRowAsync(this NpgsqlTransaction transaction, string table, string key, Guid id)
    {
        await using var hold = new NpgsqlCommand($"select 1 from {table} where {key} = @id for update", transaction.Connection, transaction);
        hold.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await hold.ExecuteScalarAsync());
    }

    /// <summary>A connection outside any pool, for LISTEN and for holding locks.</summary>
    public static async Task<NpgsqlConnection> OpenUnpooledAsync(this TestDatabase database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>A task's row as stored.</summary>
internal sealed record TaskRow(
    string Status,
    int Attempt,
    Guid? LeaseToken,
    string? LeaseOwner,
    DateTimeOffset RunAt,
    DateTimeOffset? ExpiresAt,
    string? Error,
    long Version,
    DateTimeOffset? CompletedAt,
    string? Output);
