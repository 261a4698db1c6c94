namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of <c>task_counts</c>, the sharded per-kind, per-status counters the tasks triggers keep.</summary>
internal static class TaskCountQueries
{
    public const string TaskCountByKindAndStatus = """
        select kind, status, sum(count)::bigint
        from task_counts
        group by kind, status
        having sum(count) <> 0
        order by kind, status
        """;

    /// <summary>
    /// One user's tasks per state: their grids' counters (kept by the tasks triggers on the grid
    /// rows and in their grid_counts shards) plus their tasks outside grids (the partial index
    /// tasks_user_single).
    /// </summary>
    public const string TaskCountByOwner = """
        select status, sum(n)::bigint
        from (
            select s.status, s.n
            from grids g
            cross join lateral (values ('pending', g.pending_count), ('running', g.running_count),
                                       ('completed', g.completed_count), ('failed', g.failed_count),
                                       ('cancelled', g.cancelled_count), ('expired', g.expired_count)) as s(status, n)
            where g.user_id = @owner
            union all
            select s.status, s.n
            from grids g
            join grid_counts c on c.grid_id = g.id
            cross join lateral (values ('pending', c.pending), ('running', c.running),
                                       ('completed', c.completed), ('failed', c.failed),
                                       ('cancelled', c.cancelled), ('expired', c.expired)) as s(status, n)
            where g.user_id = @owner
            union all
            select status, count(*)
            from tasks
            where user_id = @owner and grid_id is null
            group by status
        ) c
        group by status
        """;
}
