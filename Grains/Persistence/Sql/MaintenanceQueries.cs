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

    /// <summary>
    /// Takes a bounded batch of lease rows that lapsed, or whose worker's silo is dead, locks them
    /// and writes the tasks they still hold running (migration 0017: a claim leaves them pending),
    /// so that <see cref="TaskRequeueLostLeases"/> counts the lost attempt. Returns the leases.
    /// </summary>
    public const string TaskLeasesLost = """
        select taskgrid_mark_leases_running(array(
            select id from task_leases
            where expires_at < coalesce(@now, now())
               or worker_id in (select w.id from workers w join silos s on s.name = w.silo_name
                                where s.state = 'dead')
            order by expires_at
            limit @batch
            for update skip locked), @now)
        """;

    /// <summary>
    /// The leases of <see cref="TaskLeasesLost"/> are removed; the tasks still carrying them go
    /// back to pending (or fail when out of attempts). Tasks of a lease that were already
    /// acknowledged no longer carry its token and are left alone.
    /// </summary>
    public const string TaskRequeueLostLeases = """
        with lost as (
            delete from task_leases l
            where l.id = any(@lease_ids)
            returning l.id, l.worker_id, l.task_ids
        )
        update tasks t
        set status = case when t.attempt >= t.max_attempts then 'failed' else 'pending' end,
            error = case when t.attempt >= t.max_attempts
                         then 'attempt ' || t.attempt || ' of ' || t.max_attempts || ' was lost: worker '
                              || lost.worker_id || ' stopped renewing its lease (it crashed, hung or lost the database)'
                         else t.error end,
            completed_at = case when t.attempt >= t.max_attempts then coalesce(@now, now()) end,
            run_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = 'reaper',
            transition_reason = 'lease lost by ' || lost.worker_id, version = t.version + 1
        from lost cross join lateral unnest(lost.task_ids) as task(id)
        where t.id = task.id and t.lease_token = lost.id
        """;

    /// <summary>
    /// Pending tasks past their TTL expire (they are kept and can be retried); the queue's TTL index
    /// finds them, and the tasks trigger removes their queue rows. Queue rows a claim holds are
    /// passed over like task rows (the claim locks a queue row before its task, migration 0014):
    /// waiting for one inside this transaction, which may already hold counter rows from the
    /// requeue before it, could deadlock with the claim's own counting.
    /// </summary>
    public const string TaskExpireOverdue = """
        with overdue as (
            select t.id
            from task_queue q join tasks t on t.id = q.task_id
            where q.expires_at <= coalesce(@now, now()) and t.status = 'pending'
            order by q.expires_at
            limit @batch
            for update of t, q skip locked
        )
        update tasks t
        set status = 'expired', completed_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            error = 'not started within its time to live', transition_actor = 'reaper',
            transition_reason = 'not started within its time to live', version = t.version + 1
        from overdue
        where t.id = overdue.id
        """;
}
