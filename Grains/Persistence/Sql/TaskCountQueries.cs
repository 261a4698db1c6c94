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
}
