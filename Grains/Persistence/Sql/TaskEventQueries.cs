namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of <c>task_events</c>. Rows are written only by the tasks triggers (migration 0001).</summary>
internal static class TaskEventQueries
{
    public const string TaskEventListByTask = """
        select id, task_id, from_status, to_status, at, attempt, actor, reason
        from task_events
        where task_id = @task_id
        order by id
        """;
}
