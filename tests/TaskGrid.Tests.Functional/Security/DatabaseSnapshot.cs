using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Security;

/// <summary>
/// The rows the API can change, one line per row with every column a request could move
/// (state, version, counters, names, revocation), for "nothing changed" checks. Leaves out
/// <c>api_keys.last_used_at</c>, which every authenticated request touches by design.
/// </summary>
public sealed class DatabaseSnapshot
{
    private static readonly (string Table, string Sql)[] s_tables =
    [
        ("tasks", """
            select coalesce(string_agg(concat_ws('|', id, user_id, grid_id, kind, status, priority, objective, language,
                                                 attempt, max_attempts, expires_at, version), E'\n' order by id), '')
            from tasks where @owner::text is null or user_id = @owner
            """),
        ("grids", """
            select coalesce(string_agg(concat_ws('|', id, user_id, name, state, priority, max_concurrency, max_attempts,
                                                 pending_count, running_count, completed_count, failed_count,
                                                 cancelled_count, expired_count, finished_at, has_work, version), E'\n' order by id), '')
            from grids where @owner::text is null or user_id = @owner
            """),
        ("grid_counts", """
            select coalesce(string_agg(concat_ws('|', c.grid_id, c.shard, c.pending, c.running, c.completed, c.failed,
                                                 c.cancelled, c.expired), E'\n' order by c.grid_id, c.shard), '')
            from grid_counts c join grids g on g.id = c.grid_id
            where @owner::text is null or g.user_id = @owner
            """),
        ("task_events", """
            select coalesce(string_agg(concat_ws('|', e.task_id, e.id, e.from_status, e.to_status, e.actor, e.reason), E'\n' order by e.task_id, e.id), '')
            from task_events e join tasks t on t.id = e.task_id
            where @owner::text is null or t.user_id = @owner
            """),
        ("users", """
            select coalesce(string_agg(concat_ws('|', id, name, role, max_pending_tasks, disabled_at, version), E'\n' order by id), '')
            from users where @owner::text is null or id = @owner
            """),
        ("artifacts", """
            select coalesce(string_agg(concat_ws('|', id, user_id, name, size, encode(sha256, 'hex'), uploaded), E'\n' order by id), '')
            from artifacts where @owner::text is null or user_id = @owner
            """),
        ("api_keys", """
            select coalesce(string_agg(concat_ws('|', id, user_id, name, prefix, encode(hash, 'hex'), revoked_at, version), E'\n' order by id), '')
            from api_keys where @owner::text is null or user_id = @owner
            """),
    ];

    private readonly Dictionary<string, string> _tables;

    private DatabaseSnapshot(Dictionary<string, string> tables) => _tables = tables;

    /// <summary>Every row, or only <paramref name="owner"/>'s.</summary>
    public static async Task<DatabaseSnapshot> TakeAsync(TestDatabase database, string? owner = null)
    {
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (table, sql) in s_tables)
        {
            tables[table] = await database.ScalarAsync<string>(sql, ("owner", (object?)owner ?? DBNull.Value));
        }
        return new DatabaseSnapshot(tables);
    }

    /// <summary>The tables whose rows differ, with the differing rows; empty when both are the same.</summary>
    public IReadOnlyList<string> Differences(DatabaseSnapshot after)
    {
        var differences = new List<string>();
        foreach (var (table, before) in _tables)
        {
            var now = after._tables[table];
            if (before == now)
            {
                continue;
            }
            var old = before.Split('\n').ToHashSet(StringComparer.Ordinal);
            var @new = now.Split('\n').ToHashSet(StringComparer.Ordinal);
            differences.Add($"{table}: gone [{string.Join("; ", old.Except(@new))}] new [{string.Join("; ", @new.Except(old))}]");
        }
        return differences;
    }
}
