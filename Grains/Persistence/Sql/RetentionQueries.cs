namespace TaskGrid.Grains.Persistence.Sql;

/// <summary>
/// SQL of the retention duty: old log lines, old finished tasks with their history, task
/// outputs nobody refers to, and contents no artifact holds. Each statement handles a bounded
/// batch; whichever silo holds the retention advisory lock runs them.
/// </summary>
internal static class RetentionQueries
{
    /// <summary>An arbitrary, fixed advisory lock key for the retention duty.</summary>
    public const long LockKey = 0x5447_5265_7465_6e01;

    public const string LockTry = "select pg_try_advisory_lock(@key)";

    /// <summary>
    /// The lock is held by the pass's session, so a pass stalled between statements would keep the
    /// duty from every other silo for as long as it stalls; PostgreSQL closes such a session after
    /// @milliseconds idle instead, and the lock goes with it.
    /// </summary>
    public const string BoundIdleSession = "select set_config('idle_session_timeout', @milliseconds, false)";

    /// <summary>
    /// Ends the duty. Pooled connections keep their session state (DataSourceFactory sets
    /// NoResetOnClose), so the idle limit goes with the lock; left on, it would close the
    /// connection once it sat in the pool that long.
    /// </summary>
    public const string Unlock = "select pg_advisory_unlock(@key); reset idle_session_timeout";

    public const string LogDeleteOld = """
        with old as (
            select task_id, id from task_logs where at < coalesce(@now, now()) - @age limit @batch
        )
        delete from task_logs l using old where l.task_id = old.task_id and l.id = old.id
        """;

    /// <summary>
    /// Finished tasks older than @age go, with their history (kept in the row), log lines and
    /// output links; grids keep their counts. Candidates are found by walking the primary key up
    /// to the first id of @age ago (ids are UUIDv7), so no index on completed_at is needed.
    /// </summary>
    public const string TaskDeleteFinished = """
        with doomed as (
            select id from tasks
            where id < taskgrid_uuid7_floor(coalesce(@now, now()) - @age)
              and status in ('completed', 'failed', 'cancelled', 'expired')
              and completed_at < coalesce(@now, now()) - @age
            order by id
            limit @batch
            for update skip locked
        ),
        lines as (delete from task_logs l using doomed d where l.task_id = d.id),
        links as (delete from task_artifacts ta using doomed d where ta.task_id = d.id)
        delete from tasks t using doomed d where t.id = d.id
        """;

    /// <summary>Locks task outputs (never uploaded by their owner) that no task links to or runs any more.</summary>
    public const string ArtifactLockOrphanOutputs = """
        select a.id from artifacts a
        where not a.uploaded and a.created_at < coalesce(@now, now()) - @age
          and not exists (select 1 from task_artifacts ta where ta.artifact_id = a.id)
          and not exists (select 1 from tasks t
                          where t.status in ('pending', 'running')
                            and (t.input -> 'script' ->> 'artifact_id') = a.id::text)
        order by a.created_at
        limit @batch
        for update of a skip locked
        """;

    /// <summary>Deletes the locked outputs that are still orphans and that no pending or running task runs.</summary>
    public const string ArtifactDeleteOrphanOutputs = """
        delete from artifacts a
        where a.id = any(@ids) and not a.uploaded
          and not exists (select 1 from task_artifacts ta where ta.artifact_id = a.id)
          and not exists (select 1 from tasks t
                          where t.status in ('pending', 'running')
                            and (t.input -> 'script' ->> 'artifact_id') = a.id::text)
        """;

    public const string BlobLockUnreferenced = """
        select b.sha256 from artifact_blobs b
        where not exists (select 1 from artifacts a where a.sha256 = b.sha256)
        limit @batch
        for update of b skip locked
        """;

    public const string BlobDeleteUnreferenced = """
        delete from artifact_blobs b
        where b.sha256 = any(@shas)
          and not exists (select 1 from artifacts a where a.sha256 = b.sha256)
        returning b.store, b.key
        """;
}
