namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of <c>task_failures</c>, the recent-failures feed written by the <c>tasks_failed</c> trigger (migration 0004).</summary>
internal static class TaskFailureQueries
{
    private const string Columns = "id, task_id, user_id, grid_id, kind, status, attempt, error, objective, failed_at";

    public const string TaskFailureListAll = "select " + Columns + """

        from task_failures
        where (@after::bigint is null or id < @after)
        order by id desc
        limit @limit
        """;

    public const string TaskFailureListByUser = "select " + Columns + """

        from task_failures
        where user_id = @owner and (@after::bigint is null or id < @after)
        order by user_id, id desc
        limit @limit
        """;

    /// <summary>Drops failures older than the feed keeps (maintenance duty).</summary>
    public const string TaskFailureDeleteOld = """
        delete from task_failures
        where id = any(array(select id from task_failures
                             where failed_at < coalesce(@now, now()) - @keep
                             order by failed_at
                             limit @batch))
        """;
}
