namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// The hot path: claiming, lease renewal and acknowledgement, each one statement over a batch.
/// A claim writes one <c>task_leases</c> row for its whole batch and, outside grids with a
/// concurrency limit, leaves the task rows alone (migration 0017): a leased task stays pending,
/// fenced by its lease and the row version the lease recorded. Anything but the completion first
/// writes such a task as running (<c>taskgrid_mark_running</c>); running tasks carry the lease's
/// id as their <c>lease_token</c>, and every acknowledgement must present it.
/// </summary>
internal static class QueueQueries
{
    /// <summary>
    /// Leases up to @max due tasks to @worker under the new lease @lease_id. The statement lives
    /// in the <c>taskgrid_claim</c> function (migrations 0001, 0005, 0008, 0011, 0012) so that its
    /// plan is cached. Work is found in lanes: each active grid with waiting tasks (has_work) is a
    /// lane, and so are tasks outside any grid; a claim that comes back short closes the lanes it
    /// found empty. Grids with a concurrency limit are locked (FOR NO KEY UPDATE) so that two
    /// claimers cannot both fill the last free slot; after the lock PostgreSQL re-reads the row, so
    /// the free capacity is current. Within a lane the claim walks <c>task_queue</c> (one row per
    /// pending task) in order and takes the task rows with FOR UPDATE SKIP LOCKED: concurrent
    /// claimers never wait on, nor take, each other's tasks. It deletes the queue rows it took. The
    /// final order across lanes is priority, then due time, then id. The batch gets one task_leases
    /// row; its tasks carry its id as lease token.
    ///
    /// Since migration 0017 only the tasks of limited grids are written running by the claim (their
    /// version comes back null); the others stay pending and come back with the row version that
    /// fences them. The claim without <c>p_leave_task_rows</c> (migration 0018) writes every task
    /// running, for silos of the release before 0017 during a rolling upgrade.
    ///
    /// The function runs on its cached generic plan (migrations 0010 and 0011 set plan_cache_mode on it).
    /// </summary>
    public const string TaskClaimAvailable = """
        select id, user_id, grid_id, kind, objective, language, input, attempt, max_attempts,
               timeout, lease_token, run_at, started_at, version
        from taskgrid_claim(@worker, @max, @max_lanes, @lease_id, @lease, @now, p_leave_task_rows => true)
        """;

    /// <summary>
    /// Extends the worker's leases (@tokens, one per batch) and returns the tasks among
    /// @ids/@task_tokens/@versions that still hold a renewed lease: still leased and untouched
    /// since the claim, or written running under it. A task that was cancelled, or whose lease
    /// lapsed and was reaped, is missing from the answer.
    /// </summary>
    public const string TaskLeaseRenew = """
        with renewed as (
            update task_leases
            set expires_at = coalesce(@now, now()) + @lease
            where id = any(@tokens) and worker_id = @worker
            returning id
        )
        select t.id
        from unnest(@ids::uuid[], @task_tokens::uuid[], @versions::bigint[]) as l(id, token, version)
        join tasks t on t.id = l.id
        where l.token in (select id from renewed)
          and ((t.status = 'pending' and t.version = l.version)
               or (t.status = 'running' and t.lease_token = l.token))
        """;

    /// <summary>
    /// Writes leased tasks as running (<c>taskgrid_mark_running</c>, migration 0017): before a
    /// failure or a release, which are fenced by lease token, and for attempts that run longer
    /// than a moment, so that they show as running.
    /// </summary>
    public const string TaskMarkRunning = "select taskgrid_mark_running(@ids, @tokens, @versions, @now)";

    /// <summary>
    /// Records successes in the <c>taskgrid_complete</c> function (migration 0017): a leased task
    /// is fenced by its lease and version, a running one by its lease token. It writes no history
    /// entry (the claim and completion are read from the row, see taskgrid_task_history), counts
    /// what it moved itself, and runs on a cached plan.
    /// </summary>
    public const string TaskCompleteMany = """
        select id from taskgrid_complete(@ids, @tokens, @versions, @codes, @outputs, @usages, @now)
        """;

    /// <summary>
    /// Records failures, fenced by lease token (after <see cref="TaskMarkRunning"/>). A retryable failure with attempts left goes back
    /// to pending, due after its backoff delay; anything else fails for good.
    /// </summary>
    public const string TaskFailMany = """
        update tasks t
        set status = case when r.retryable and t.attempt < t.max_attempts then 'pending' else 'failed' end,
            run_at = case when r.retryable and t.attempt < t.max_attempts
                          then coalesce(@now, now()) + r.delay else t.run_at end,
            completed_at = case when r.retryable and t.attempt < t.max_attempts
                                then null else coalesce(@now, now()) end,
            transition_reason = case when r.retryable and t.attempt < t.max_attempts
                                     then 'retry after ' || r.delay || ': ' || r.error
                                     else r.error end,
            error = r.error, output = coalesce(r.output, t.output),
            updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = t.lease_owner, version = t.version + 1
        from unnest(@ids::uuid[], @tokens::uuid[], @errors::text[], @retryable::boolean[],
                    @delays::interval[], @outputs::text[])
             as r(id, token, error, retryable, delay, output)
        where t.id = r.id and t.lease_token = r.token
        returning t.id
        """;

    /// <summary>
    /// Drops lease rows whose tasks have all been acknowledged or handed back (migration 0019): the
    /// acknowledged ones without looking at their tasks, the unconfirmed ones giving back any task
    /// they still hold.
    /// </summary>
    public const string TaskLeaseClose = "select taskgrid_close_leases(@worker, @acknowledged, @unconfirmed)";

    /// <summary>Hands leased tasks back at once without counting the attempt (graceful shutdown), after <see cref="TaskMarkRunning"/>.</summary>
    public const string TaskReleaseMany = """
        update tasks t
        set status = 'pending', attempt = greatest(t.attempt - 1, 0), run_at = coalesce(@now, now()),
            updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = t.lease_owner, transition_reason = @reason, version = t.version + 1
        from unnest(@ids::uuid[], @tokens::uuid[]) as l(id, token)
        where t.id = l.id and t.lease_token = l.token
        """;

    /// <summary>
    /// The database clock and the next time work becomes claimable: the first future entry of the
    /// task_queue_delayed index or the first future window opening of a grid with waiting tasks, in
    /// the <c>taskgrid_next_due</c> function (migration 0013) so that its plan is cached.
    /// </summary>
    public const string TaskNextDue = "select db_now, next_due from taskgrid_next_due(@now)";
}
