namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// SQL of task grain turns and task listings. The claim and acknowledgement path lives in
/// <see cref="QueueQueries"/>; every state change is recorded in the task's history by trigger.
/// </summary>
internal static class TaskQueries
{
    /// <summary>The columns <see cref="Rows.TaskReader"/> reads, in its ordinal order.</summary>
    public const string Columns = """
        id, user_id, grid_id, kind, status, priority, objective, language, input, code, output,
        error, usage, attempt, max_attempts, timeout, run_at, expires_at, created_at, started_at,
        completed_at, version
        """;

    /// <summary>
    /// Inserts many tasks in one statement from parallel arrays (one round trip per batch), in the
    /// <c>taskgrid_insert_tasks</c> function (migration 0013) so that its plan is cached. A task is
    /// due at its run_at, or after its delay, or now; only truly delayed tasks have run_at after
    /// created_at. The TTL counts from when the task becomes due.
    /// </summary>
    public const string TaskInsertMany = "select count(*) from taskgrid_insert_tasks(" + InsertArguments + ")";

    /// <summary>Inserts tasks and returns them, as <see cref="Columns"/>.</summary>
    public const string TaskInsertReturning = "select " + Columns + " from taskgrid_insert_tasks(" + InsertArguments + ")";

    /// <summary>
    /// A single submission: the insert, then the owner's cap, which refuses (and so rolls back) a
    /// task past it. Sent without a transaction of its own, both run in one implicit transaction:
    /// one round trip, no BEGIN and no separate COMMIT.
    /// </summary>
    public const string TaskInsertThenCheckPendingCap = TaskInsertReturning + ";\n" + UserQueries.UserCheckPendingCap;

    private const string InsertArguments = """
        @ids, @user_ids, @grid_ids, @kinds, @priorities, @objectives, @languages, @inputs, @max_attempts,
        @timeouts, @ttls, @run_ats, @delays, @actor, @now
        """;

    /// <summary>
    /// A task as shown (<c>tasks_shown</c>, migration 0017): one that a claim holds while leaving
    /// its row pending reads as running. Listings read the same view.
    /// </summary>
    public const string TaskSelect = "select " + Columns + """

        from tasks_shown
        where id = @id and (@owner::text is null or user_id = @owner)
        """;

    /// <summary>The task's row, locked by the turn (a held task is written running first: <see cref="TaskMarkLeasedRunning"/>).</summary>
    public const string TaskSelectForUpdate = "select " + Columns + """

        from tasks
        where id = @id and (@owner::text is null or user_id = @owner)
        for update
        """;

    /// <summary>
    /// Writes the task running if a claim holds it while leaving its row pending (migration 0017),
    /// so that a cancel sees it running and tells its worker to stop.
    /// </summary>
    public const string TaskMarkLeasedRunning = """
        select taskgrid_mark_running(array_agg(task_id), array_agg(lease_id), array_agg(version), @now)
        from task_lease_entries
        where task_id = @id
        """;

    /// <summary>Cancels a pending or running task locked by the turn.</summary>
    public const string TaskCancel = """
        update tasks
        set status = 'cancelled', completed_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = @actor, transition_reason = @reason, version = version + 1
        where id = @id and version = @version
        """ + "\nreturning " + Columns;

    /// <summary>Puts a finished-but-unsuccessful task back to pending with a fresh attempt budget and TTL.</summary>
    public const string TaskRetry = """
        update tasks
        set status = 'pending', attempt = 0, error = null, completed_at = null,
            run_at = coalesce(@now, now()), expires_at = coalesce(@now, now()) + ttl,
            updated_at = coalesce(@now, now()),
            transition_actor = @actor, transition_reason = 'retried by ' || @actor, version = version + 1
        where id = @id and version = @version
        """ + "\nreturning " + Columns;

    /// <summary>One owner's tasks, newest first (ids are UUIDv7, so id order is creation order).</summary>
    public const string TaskListByUser = "select " + Columns + """

        from tasks_shown
        where user_id = @owner
          and (@status::text is null or status = @status)
          and (@after::uuid is null or id < @after)
        order by id desc
        limit @limit
        """;

    /// <summary>One grid's tasks, newest first.</summary>
    public const string TaskListByGrid = "select " + Columns + """

        from tasks_shown
        where grid_id = @grid_id
          and (@owner::text is null or user_id = @owner)
          and (@status::text is null or status = @status)
          and (@after::uuid is null or id < @after)
        order by grid_id, id desc
        limit @limit
        """;

    /// <summary>Every task (admins), newest first.</summary>
    public const string TaskListAll = "select " + Columns + """

        from tasks_shown
        where (@status::text is null or status = @status)
          and (@after::uuid is null or id < @after)
        order by id desc
        limit @limit
        """;
}
