namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// SQL of the scheduler duties (grid windows, template ticks, rate-limit housekeeping). Each duty
/// is guarded by its own transaction-scoped advisory lock, as the maintenance duty is, so one silo
/// at a time does it and a dead silo's duty passes to the next silo whose timer fires.
/// </summary>
internal static class SchedulerQueries
{
    /// <summary>Advisory lock keys, one per duty (arbitrary, fixed, distinct from the maintenance key).</summary>
    public const long WindowsLockKey = 0x5447_5363_6864_0001;

    /// <inheritdoc cref="WindowsLockKey"/>
    public const long TemplatesLockKey = 0x5447_5363_6864_0002;

    /// <inheritdoc cref="WindowsLockKey"/>
    public const long RateLimitsLockKey = 0x5447_5363_6864_0003;

    /// <summary>Records which silo did a duty and when (for operators and tests; the lock is what guards it).</summary>
    public const string DutyRecord = """
        insert into cluster_duties (name, silo_name, ran_at) values (@name, @silo, coalesce(@now, now()))
        on conflict (name) do update set silo_name = excluded.silo_name, ran_at = excluded.ran_at
        """;

    /// <summary>
    /// Expires up to @batch pending tasks of grids past their retire_at (kept, retryable). Runs
    /// until none are left, so tasks that came back to pending after retirement (a retry, a lost
    /// lease) expire too. Queue rows a claim holds are passed over, as in
    /// <see cref="MaintenanceQueries.TaskExpireOverdue"/>.
    /// </summary>
    public const string GridRetireTasks = """
        with retiring as (
            select id from grids
            where retire_at <= coalesce(@now, now()) and has_work
            order by retire_at
            limit 100
        ),
        doomed as (
            select c.id
            from retiring g
            cross join lateral (
                select t.id
                from task_queue q join tasks t on t.id = q.task_id
                where q.grid_id = g.id and t.status = 'pending'
                limit @batch
                for update of t, q skip locked
            ) c
            limit @batch
        )
        update tasks t
        set status = 'expired', completed_at = coalesce(@now, now()), updated_at = coalesce(@now, now()),
            error = 'the grid retired before the task started', transition_actor = 'scheduler',
            transition_reason = 'grid retired', version = t.version + 1
        from doomed
        where t.id = doomed.id
        """;

    /// <summary>Marks grids past their retire_at as retired.</summary>
    public const string GridMarkRetired = """
        update grids
        set retired_at = coalesce(@now, now()), updated_at = coalesce(@now, now()), version = version + 1
        where retire_at <= coalesce(@now, now()) and retired_at is null
        """;
}
