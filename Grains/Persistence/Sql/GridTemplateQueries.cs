namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of grid templates (recurring grids) and of the scheduler duty that creates their runs.</summary>
internal static class GridTemplateQueries
{
    /// <summary>The columns <see cref="Rows.GridTemplateReader"/> reads, in its ordinal order.</summary>
    public const string Columns = """
        id, user_id, name, cron, time_zone, jsonb_array_length(tasks), priority, max_concurrency, max_attempts,
        task_ttl, missed_ticks, next_tick, last_tick, last_run_id, last_error, created_at, version
        """;

    public const string GridTemplateInsert = """
        insert into grid_templates (id, user_id, name, cron, time_zone, tasks, priority, max_concurrency, max_attempts,
                                    task_ttl, missed_ticks, next_tick, created_at, updated_at)
        values (@id, @user_id, @name, @cron, @time_zone, @tasks, @priority, @max_concurrency, @max_attempts,
                @task_ttl, @missed_ticks, @next_tick, coalesce(@now, now()), coalesce(@now, now()))
        """ + "\nreturning " + Columns;

    public const string GridTemplateSelect = "select " + Columns + """

        from grid_templates
        where id = @id and (@owner::text is null or user_id = @owner)
        """;

    public const string GridTemplateDelete = "delete from grid_templates where id = @id and (@owner::text is null or user_id = @owner)";

    public const string GridTemplateListByUser = "select " + Columns + """

        from grid_templates
        where user_id = @owner and (@after::uuid is null or id < @after)
        order by user_id, id desc
        limit @limit
        """;

    public const string GridTemplateListAll = "select " + Columns + """

        from grid_templates
        where (@after::uuid is null or id < @after)
        order by id desc
        limit @limit
        """;

    /// <summary>Templates whose next tick has come, locked for this pass (the scheduler duty).</summary>
    public const string GridTemplateSelectDue = """
        select id, user_id, name, cron, time_zone, tasks, priority, max_concurrency, max_attempts, task_ttl,
               missed_ticks, next_tick, coalesce(@now, now())
        from grid_templates
        where next_tick <= coalesce(@now, now())
        order by next_tick
        limit @batch
        for update skip locked
        """;

    /// <summary>
    /// A template's run for one tick. The unique key (template_id, tick) makes a second attempt at
    /// the same tick (another silo, a retried pass) create nothing: it returns no row.
    /// </summary>
    public const string GridInsertRun = """
        insert into grids (id, user_id, name, state, priority, max_concurrency, max_attempts, task_ttl,
                           template_id, tick, created_at, updated_at)
        values (@id, @user_id, @name, 'active', @priority, @max_concurrency, @max_attempts, @task_ttl,
                @template_id, @tick, coalesce(@now, now()), coalesce(@now, now()))
        on conflict (template_id, tick) where template_id is not null do nothing
        returning id
        """;

    public const string GridTemplateAdvance = """
        update grid_templates
        set next_tick = @next_tick,
            last_tick = coalesce(@last_tick, last_tick),
            last_run_id = coalesce(@last_run_id, last_run_id),
            last_error = @last_error,
            updated_at = coalesce(@now, now()), version = version + 1
        where id = @id
        """;
}
