namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of grid grain turns and grid listings. Counters are kept by the tasks triggers.</summary>
internal static class GridQueries
{
    /// <summary>The columns <see cref="Rows.GridReader"/> reads, in its ordinal order (the last is the database clock).</summary>
    public const string Columns = """
        id, user_id, name, state, priority, max_concurrency, max_attempts, task_ttl,
        pending_count, running_count, completed_count, failed_count, cancelled_count, expired_count,
        created_at, started_at, finished_at, version, coalesce(@now, now()) as read_at,
        active_from, retire_at, retired_at, template_id, tick
        """;

    public const string GridInsert = """
        insert into grids (id, user_id, name, state, priority, max_concurrency, max_attempts, task_ttl,
                           active_from, retire_at, created_at, updated_at)
        values (@id, @user_id, @name, 'active', @priority, @max_concurrency, @max_attempts, @task_ttl,
                @active_from, @retire_at, coalesce(@now, now()), coalesce(@now, now()))
        """ + "\nreturning " + Columns;

    /// <summary>
    /// Sets a grid's window. A retirement moved into the future reopens the grid (retired_at is
    /// cleared); one in the past retires it at once (retired_at is set), and the scheduler's
    /// <see cref="SchedulerQueries.GridRetireTasks"/> expires its pending tasks.
    /// </summary>
    public const string GridSetWindow = """
        update grids
        set active_from = @active_from, retire_at = @retire_at,
            retired_at = case when @retire_at::timestamptz is null or @retire_at > coalesce(@now, now()) then null
                              else coalesce(retired_at, coalesce(@now, now())) end,
            updated_at = coalesce(@now, now()), version = version + 1
        where id = @id and version = @version
        """;

    public const string GridSelect = "select " + Columns + """

        from grids
        where id = @id and (@owner::text is null or user_id = @owner)
        """;

    /// <summary>Locks the grid for a turn that changes it or adds tasks to it.</summary>
    public const string GridSelectForUpdate = GridSelect + "\nfor update";

    public const string GridStateSelect = "select state from grids where id = @id";

    public const string GridSetState = """
        update grids
        set state = @state, updated_at = coalesce(@now, now()), version = version + 1
        where id = @id and version = @version
        """;

    /// <summary>Wakes idle workers after a grid becomes claimable again.</summary>
    public const string GridNotifyClaimable = "select pg_notify('taskgrid_tasks', '')";

    /// <summary>Cancels every unfinished task of a grid (running attempts are told to stop).</summary>
    public const string GridCancelTasks = """
        update tasks
        set status = 'cancelled', completed_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = @actor, transition_reason = 'grid cancelled', version = version + 1
        where grid_id = @id and status in ('pending', 'running')
        """;

    /// <summary>Puts a grid's failed and expired tasks back to pending with fresh attempts.</summary>
    public const string GridRetryFailedTasks = """
        update tasks
        set status = 'pending', attempt = 0, error = null, completed_at = null,
            run_at = coalesce(@now, now()), expires_at = coalesce(@now, now()) + ttl,
            updated_at = coalesce(@now, now()),
            transition_actor = @actor, transition_reason = 'grid retry-failed by ' || @actor,
            version = version + 1
        where grid_id = @id and status in ('failed', 'expired')
        """;

    public const string GridListByUser = "select " + Columns + """

        from grids
        where user_id = @owner and (@after::uuid is null or id < @after)
        order by user_id, id desc
        limit @limit
        """;

    public const string GridListAll = "select " + Columns + """

        from grids
        where (@after::uuid is null or id < @after)
        order by id desc
        limit @limit
        """;
}
