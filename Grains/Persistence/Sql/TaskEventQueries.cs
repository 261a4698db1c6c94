namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of task histories: the <c>task_events</c> view over <c>tasks.history</c>, written only by the transition trigger (migration 0001).</summary>
internal static class TaskEventQueries
{
    public const string TaskEventListByTask = """
        select id, task_id, from_status, to_status, at, attempt, actor, reason
        from task_events
        where task_id = @task_id
        order by id
        """;
}
