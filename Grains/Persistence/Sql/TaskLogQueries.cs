namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of <c>task_logs</c>: batched writes from the silos' log writers, pages for readers.</summary>
internal static class TaskLogQueries
{
    /// <summary>The channel a batch announces the tasks it wrote lines for on (payload: the task id).</summary>
    public const string NotifyChannel = "taskgrid_logs";

    public const string Listen = "LISTEN " + NotifyChannel;

    /// <summary>
    /// Writes a batch of lines in one statement, in the order given (ids follow it), and wakes
    /// whoever follows those tasks.
    /// </summary>
    public const string TaskLogInsertMany = """
        with written as (
            insert into task_logs (task_id, attempt, at, stream, line)
            select l.task_id, l.attempt, l.at, l.stream, l.line
            from unnest(@task_ids::uuid[], @attempts::integer[], @ats::timestamptz[], @streams::text[], @lines::text[])
                 with ordinality as l(task_id, attempt, at, stream, line, ord)
            order by l.ord
            returning task_id
        )
        select pg_notify(@channel, t.task_id::text)
        from (select distinct task_id from written) t
        """;

    /// <summary>
    /// A page of a task's lines and the task's status, read in one statement (one snapshot): if
    /// the status is terminal, every line written before the outcome was recorded is in the page
    /// or after it.
    /// </summary>
    public const string TaskLogPage = """
        select t.status, l.id, l.attempt, l.at, l.stream, l.line
        from tasks_shown t
        left join lateral (
            select id, attempt, at, stream, line
            from task_logs
            where task_id = t.id and id > @after
            order by id
            limit @limit
        ) l on true
        where t.id = @task_id and (@owner::text is null or t.user_id = @owner)
        order by l.id
        """;
}
