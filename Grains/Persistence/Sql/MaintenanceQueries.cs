namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// SQL of the cluster's periodic duties (declaring silos dead, reaping leases, expiring
/// tasks). Whichever silo holds the maintenance advisory lock runs them; each statement
/// handles a bounded batch so that no pass holds locks for long.
/// </summary>
internal static class MaintenanceQueries
{
    /// <summary>An arbitrary, fixed advisory lock key for the maintenance duty.</summary>
    public const long LockKey = 0x5447_4d61_696e_7401;

    public const string LockTry = "select pg_try_advisory_xact_lock(@key)";

    public const string SiloMarkDead = """
        update silos
        set state = 'dead', version = version + 1
        where state in ('active', 'draining') and heartbeat_at < coalesce(@now, now()) - @dead_after
        returning name
        """;

    /// <summary>Running tasks whose lease lapsed, or whose worker's silo is dead, go back to pending (or fail when out of attempts).</summary>
    public const string TaskRequeueLostLeases = """
        with lost as (
            select t.id
            from tasks t
            where t.status = 'running'
              and (t.lease_expires_at < coalesce(@now, now())
                   or exists (select 1 from workers w join silos s on s.name = w.silo_name
                              where w.id = t.lease_owner and s.state = 'dead'))
            order by t.lease_expires_at
            limit @batch
            for update skip locked
        )
        update tasks t
        set status = case when t.attempt >= t.max_attempts then 'failed' else 'pending' end,
            error = case when t.attempt >= t.max_attempts
                         then 'attempt ' || t.attempt || ' of ' || t.max_attempts || ' was lost: worker '
                              || t.lease_owner || ' stopped renewing its lease (it crashed, hung or lost the database)'
                         else t.error end,
            completed_at = case when t.attempt >= t.max_attempts then coalesce(@now, now()) end,
            run_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null, lease_expires_at = null,
            transition_actor = 'reaper',
            transition_reason = 'lease lost by ' || t.lease_owner, version = t.version + 1
        from lost
        where t.id = lost.id
        """;

    /// <summary>Pending tasks past their TTL expire (they are kept and can be retried).</summary>
    public const string TaskExpireOverdue = """
        with overdue as (
            select id from tasks
            where status = 'pending' and expires_at <= coalesce(@now, now())
            order by expires_at
            limit @batch
            for update skip locked
        )
        update tasks t
        set status = 'expired', completed_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            error = 'not started within its time to live', transition_actor = 'reaper',
            transition_reason = 'not started within its time to live', version = t.version + 1
        from overdue
        where t.id = overdue.id
        """;
}
