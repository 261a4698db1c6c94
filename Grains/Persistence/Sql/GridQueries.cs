namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of grid grain turns and grid listings. Counters are kept by the tasks triggers.</summary>
internal static class GridQueries
{
    /// <summary>
    /// The columns <see cref="Rows.GridReader"/> reads, in its ordinal order (the database clock
    /// is read_at), over a grid <c>g</c> joined with <see cref="Shards"/> as <c>s</c>. A grid's
    /// counts are its row's plus its grid_counts shards' (migration 0011: grids without a
    /// concurrency limit count in shards); it started at its first claim anywhere and finished at
    /// its last change once nothing is pending or running.
    /// </summary>
    public const string Columns = """
        g.id, g.user_id, g.name, g.state, g.priority, g.max_concurrency, g.max_attempts, g.task_ttl,
        g.pending_count + s.pending, g.running_count + s.running, g.completed_count + s.completed,
        g.failed_count + s.failed, g.cancelled_count + s.cancelled, g.expired_count + s.expired,
        g.created_at, least(g.started_at, s.started_at),
        case when g.pending_count + s.pending + g.running_count + s.running = 0
             then greatest(g.finished_at, s.changed_at) end,
        g.version, coalesce(@now, now()) as read_at,
        g.active_from, g.retire_at, g.retired_at, g.template_id, g.tick
        """;

    /// <summary>The sums of grid <c>g</c>'s counter shards (zeros when it has none), as <c>s</c>.</summary>
    public const string Shards = """
        cross join lateral (
            select coalesce(sum(c.pending), 0)::integer as pending, coalesce(sum(c.running), 0)::integer as running,
                   coalesce(sum(c.completed), 0)::integer as completed, coalesce(sum(c.failed), 0)::integer as failed,
                   coalesce(sum(c.cancelled), 0)::integer as cancelled, coalesce(sum(c.expired), 0)::integer as expired,
                   min(c.started_at) as started_at, max(c.changed_at) as changed_at
            from grid_counts c
            where c.grid_id = g.id
        ) s
        """;

    public const string GridInsert = """
        insert into grids (id, user_id, name, state, priority, max_concurrency, max_attempts, task_ttl,
                           active_from, retire_at, created_at, updated_at)
        values (@id, @user_id, @name, 'active', @priority, @max_concurrency, @max_attempts, @task_ttl,
                @active_from, @retire_at, coalesce(@now, now()), coalesce(@now, now()))
        """;

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

    public const string GridSelect = "select " + Columns + "\nfrom grids g\n" + Shards + """

        where g.id = @id and (@owner::text is null or g.user_id = @owner)
        """;

    /// <summary>Locks the grid for a turn that changes it or adds tasks to it.</summary>
    public const string GridSelectForUpdate = GridSelect + "\nfor update of g";

    public const string GridStateSelect = "select state from grids where id = @id";

    public const string GridSetState = """
        update grids
        set state = @state, updated_at = coalesce(@now, now()), version = version + 1
        where id = @id and version = @version
        """;

    /// <summary>Wakes idle workers after a grid becomes claimable again.</summary>
    public const string GridNotifyClaimable = "select pg_notify('taskgrid_tasks', '')";

    /// <summary>
    /// Writes the grid's tasks that claims hold while leaving their rows pending (migration 0017)
    /// running, so that <see cref="GridCancelTasks"/> tells their workers to stop.
    /// </summary>
    public const string GridMarkLeasedRunning = """
        select taskgrid_mark_running(array_agg(e.task_id), array_agg(e.lease_id), array_agg(e.version), @now)
        from task_lease_entries e
        join tasks t on t.id = e.task_id
        where t.grid_id = @id and t.status = 'pending' and t.version = e.version
        """;

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

    public const string GridListByUser = "select " + Columns + "\nfrom grids g\n" + Shards + """

        where g.user_id = @owner and (@after::uuid is null or g.id < @after)
        order by g.user_id, g.id desc
        limit @limit
        """;

    public const string GridListAll = "select " + Columns + "\nfrom grids g\n" + Shards + """

        where (@after::uuid is null or g.id < @after)
        order by g.id desc
        limit @limit
        """;
}
