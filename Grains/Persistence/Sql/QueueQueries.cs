namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// The hot path: claiming, lease renewal and acknowledgement, each one statement over a batch.
/// </summary>
internal static class QueueQueries
{
    /// <summary>The columns <see cref="Rows.ClaimedTaskReader"/> reads, in its ordinal order.</summary>
    public const string ClaimedColumns = """
        t.id, t.user_id, t.grid_id, t.kind, t.objective, t.language, t.input, t.attempt, t.max_attempts,
        t.timeout, t.lease_token, t.lease_expires_at, t.run_at, t.started_at
        """;

    /// <summary>
    /// Leases up to @max due tasks to @worker. Work is found in lanes: each active grid with
    /// waiting tasks is a lane, and so are tasks outside any grid. Grids with a concurrency limit
    /// are locked (FOR NO KEY UPDATE) so that two claimers cannot both fill the last free slot;
    /// after the lock PostgreSQL re-reads the row, so the free capacity is current. Tasks are
    /// taken with FOR UPDATE SKIP LOCKED: concurrent claimers never wait on, nor take, each
    /// other's rows. The final order across lanes is priority, then due time, then id.
    ///
    /// "order by t.grid_id, ..." in the ungridded lane looks redundant (grid_id is null there) but
    /// lets the planner see that tasks_claim already returns rows in claim order.
    ///
    /// A claimed task has started, so its TTL (which bounds the wait for a first start) no longer
    /// applies: expires_at is cleared here, once, so that every way back to pending (a lost lease,
    /// a graceful release, a retry) redelivers the task instead of expiring it.
    /// </summary>
    public const string TaskClaimAvailable = """
        with limited_lanes as (
            select g.id, least(@max, g.max_concurrency - g.running_count) as capacity
            from grids g
            where g.state = 'active' and g.pending_count > 0
              and g.max_concurrency is not null and g.running_count < g.max_concurrency
            order by g.priority desc, g.created_at, g.id
            limit @max_lanes
            for no key update of g
        ),
        open_lanes as (
            select g.id, @max as capacity
            from grids g
            where g.state = 'active' and g.pending_count > 0 and g.max_concurrency is null
            order by g.priority desc, g.created_at, g.id
            limit @max_lanes
        ),
        lane_candidates as (
            select c.id, c.priority, c.run_at
            from (select id, capacity from limited_lanes union all select id, capacity from open_lanes) l
            cross join lateral (
                select t.id, t.priority, t.run_at
                from tasks t
                where t.grid_id = l.id and t.status = 'pending'
                  and t.run_at <= coalesce(@now, now())
                  and (t.expires_at is null or t.expires_at > coalesce(@now, now()))
                order by t.grid_id, t.priority desc, t.run_at, t.id
                limit l.capacity
                for update of t skip locked
            ) c
        ),
        single_candidates as (
            select t.id, t.priority, t.run_at
            from tasks t
            where t.grid_id is null and t.status = 'pending'
              and t.run_at <= coalesce(@now, now())
              and (t.expires_at is null or t.expires_at > coalesce(@now, now()))
            order by t.grid_id, t.priority desc, t.run_at, t.id
            limit @max
            for update of t skip locked
        ),
        picked as (
            select id
            from (select * from lane_candidates union all select * from single_candidates) c
            order by priority desc, run_at, id
            limit @max
        )
        update tasks t
        set status = 'running', attempt = t.attempt + 1, expires_at = null,
            lease_owner = @worker, lease_token = gen_random_uuid(),
            lease_expires_at = coalesce(@now, now()) + @lease,
            started_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            transition_actor = @worker, transition_reason = 'claimed', version = t.version + 1
        from picked p
        where t.id = p.id
        """ + "\nreturning " + ClaimedColumns;

    /// <summary>Extends the leases the worker still holds; returns their task ids.</summary>
    public const string TaskRenewLeases = """
        update tasks t
        set lease_expires_at = coalesce(@now, now()) + @lease
        from unnest(@ids::uuid[], @tokens::uuid[]) as l(id, token)
        where t.id = l.id and t.lease_token = l.token
        returning t.id
        """;

    /// <summary>Records successes, fenced by lease token (a lease token is only set while running).</summary>
    public const string TaskCompleteMany = """
        update tasks t
        set status = 'completed', code = r.code, output = r.output, usage = r.usage, error = null,
            completed_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null, lease_expires_at = null,
            transition_actor = t.lease_owner, transition_reason = 'completed', version = t.version + 1
        from unnest(@ids::uuid[], @tokens::uuid[], @codes::text[], @outputs::text[], @usages::jsonb[])
             as r(id, token, code, output, usage)
        where t.id = r.id and t.lease_token = r.token
        returning t.id
        """;

    /// <summary>
    /// Records failures, fenced by lease token. A retryable failure with attempts left goes back
    /// to pending, due after its backoff delay; anything else fails for good. A task that has
    /// started once no longer expires (its TTL bounds the wait for a first start).
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
            expires_at = null, error = r.error, output = coalesce(r.output, t.output),
            updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null, lease_expires_at = null,
            transition_actor = t.lease_owner, version = t.version + 1
        from unnest(@ids::uuid[], @tokens::uuid[], @errors::text[], @retryable::boolean[],
                    @delays::interval[], @outputs::text[])
             as r(id, token, error, retryable, delay, output)
        where t.id = r.id and t.lease_token = r.token
        returning t.id
        """;

    /// <summary>Hands leased tasks back at once without counting the attempt (graceful shutdown).</summary>
    public const string TaskReleaseMany = """
        update tasks t
        set status = 'pending', attempt = greatest(t.attempt - 1, 0), run_at = coalesce(@now, now()),
            updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null, lease_expires_at = null,
            transition_actor = t.lease_owner, transition_reason = @reason, version = t.version + 1
        from unnest(@ids::uuid[], @tokens::uuid[]) as l(id, token)
        where t.id = l.id and t.lease_token = l.token
        """;
}
