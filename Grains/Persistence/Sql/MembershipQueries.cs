namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>SQL of the membership tables: <c>silos</c> and <c>workers</c>.</summary>
internal static class MembershipQueries
{
    /// <summary>
    /// Joins the cluster under @name with a fresh incarnation. A restarted silo (a StatefulSet
    /// pod keeps its name) takes its row over; the previous incarnation, if somehow still alive,
    /// finds out at its next heartbeat and stops claiming.
    /// </summary>
    public const string SiloJoin = """
        insert into silos (name, host, pid, incarnation, state, started_at, heartbeat_at)
        values (@name, @host, @pid, @incarnation, 'active', coalesce(@now, now()), coalesce(@now, now()))
        on conflict (name) do update
        set host = excluded.host, pid = excluded.pid, incarnation = excluded.incarnation,
            state = 'active', started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
            stopped_at = null, version = silos.version + 1
        """;

    /// <summary>
    /// Locks the leases of this silo's workers, which belong to its previous incarnation when it
    /// (re)joins, and writes the tasks they still hold running (migration 0017), so that
    /// <see cref="TaskRequeueFromPreviousIncarnation"/> counts the lost attempt. Returns the leases.
    /// </summary>
    public const string TaskLeasesAbandoned = """
        select taskgrid_mark_leases_running(array(
            select id from task_leases
            where worker_id in (select id from workers where silo_name = @name)
            for update), @now)
        """;

    /// <summary>
    /// Tasks still leased to this silo's workers when it (re)joins belong to its previous
    /// incarnation, which is gone: they go back to pending at once instead of waiting for
    /// their leases to lapse.
    /// </summary>
    public const string TaskRequeueFromPreviousIncarnation = """
        with abandoned as (
            delete from task_leases
            where id = any(@lease_ids)
            returning id, task_ids
        )
        update tasks t
        set status = case when t.attempt >= t.max_attempts then 'failed' else 'pending' end,
            error = case when t.attempt >= t.max_attempts
                         then 'attempt ' || t.attempt || ' was lost when silo ' || @name || ' restarted' else t.error end,
            completed_at = case when t.attempt >= t.max_attempts then coalesce(@now, now()) end,
            run_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = 'silo:' || @name,
            transition_reason = 'lease abandoned: silo ' || @name || ' restarted',
            version = t.version + 1
        from abandoned cross join lateral unnest(abandoned.task_ids) as task(id)
        where t.id = task.id and t.lease_token = abandoned.id
        """;

    /// <summary>Returns the silo's state, or nothing if another incarnation took the name over.</summary>
    public const string SiloHeartbeat = """
        update silos
        set heartbeat_at = coalesce(@now, now())
        where name = @name and incarnation = @incarnation and state in ('active', 'draining')
        returning state
        """;

    public const string SiloSetState = """
        update silos
        set state = @state, stopped_at = case when @state = 'stopped' then coalesce(@now, now()) end,
            heartbeat_at = coalesce(@now, now()), version = version + 1
        where name = @name and incarnation = @incarnation
        """;

    public const string SiloList = """
        select s.name, s.host, s.pid, s.state, s.started_at, s.heartbeat_at,
               extract(epoch from coalesce(@now, now()) - s.heartbeat_at)::float8 as heartbeat_age,
               count(w.id)::integer as workers, coalesce(sum(w.in_flight), 0)::integer as in_flight
        from silos s
        left join workers w on w.silo_name = s.name
        group by s.name
        order by (s.state in ('active', 'draining')) desc, s.name
        """;

    /// <summary>Silos that claim to be alive and heartbeat within @dead_after, and silos declared dead.</summary>
    public const string SiloCountAlive = """
        select count(*) filter (where state in ('active', 'draining')
                                  and heartbeat_at > coalesce(@now, now()) - @dead_after)::integer,
               count(*) filter (where state = 'dead')::integer
        from silos
        """;

    public const string WorkerRegister = """
        insert into workers (id, silo_name, started_at, heartbeat_at)
        values (@id, @silo, coalesce(@now, now()), coalesce(@now, now()))
        on conflict (id) do update
        set silo_name = excluded.silo_name, started_at = excluded.started_at,
            heartbeat_at = excluded.heartbeat_at, in_flight = 0,
            claimed_total = 0, completed_total = 0, failed_total = 0, version = workers.version + 1
        """;

    public const string WorkerReport = """
        update workers
        set heartbeat_at = coalesce(@now, now()), in_flight = @in_flight, claimed_total = @claimed,
            completed_total = @completed, failed_total = @failed
        where id = @id
        """;

    public const string WorkerList = """
        select w.id, w.silo_name, s.state, w.heartbeat_at, w.in_flight, w.claimed_total,
               w.completed_total, w.failed_total
        from workers w
        join silos s on s.name = w.silo_name
        where (@silo::text is null and s.state in ('active', 'draining')) or w.silo_name = @silo
        order by w.id
        """;
}
