namespace TaskGrid.Bench.Measurement;

/// <summary>
/// Every SQL statement the benchmark runs itself. Timings come from the columns the engine sets
/// from the database clock (<c>created_at</c>, <c>started_at</c>, <c>completed_at</c>), so
/// latencies need no clock shared between processes. Percentiles are <c>percentile_disc</c>
/// (nearest rank), as <see cref="Stats"/> computes them.
/// </summary>
internal static class BenchQueries
{
    public const string ServerVersion = "show server_version";

    /// <summary>The settings the peer harness wrote to postgresql.conf (its tuning), one string.</summary>
    public const string ServerSettings = """
        select coalesce(string_agg(name || '=' || current_setting(name), ' ' order by name), '')
        from pg_settings where source = 'configuration file'
        """;

    /// <summary>DDL takes no parameters: only names checked by <see cref="Cluster.BenchServer"/> get here.</summary>
    public static string DatabaseDrop(string name) => $"drop database if exists \"{name}\" with (force)";

    public static string DatabaseCreate(string name) => $"create database \"{name}\"";

    /// <summary>The server's processes: backends, autovacuum, WAL writer, checkpointer and the rest.</summary>
    public const string ServerProcesses = "select pid from pg_stat_activity";

    /// <summary>Tasks of a grid that were claimed so far (running or finished).</summary>
    public const string GridStarted = GridCounters + "select running + completed + failed from counts";

    /// <summary>Work left in a grid, from the counters the engine keeps (no scan of tasks).</summary>
    public const string GridUnfinished = GridCounters + "select pending + running from counts";

    public const string GridFailed = GridCounters + "select failed + cancelled + expired from counts";

    /// <summary>A grid's counts: its row's plus its grid_counts shards' (migration 0011).</summary>
    private const string GridCounters = """
        with counts as (
            select sum(pending)::bigint as pending, sum(running)::bigint as running, sum(completed)::bigint as completed,
                   sum(failed)::bigint as failed, sum(cancelled)::bigint as cancelled, sum(expired)::bigint as expired
            from (select pending_count as pending, running_count as running, completed_count as completed,
                         failed_count as failed, cancelled_count as cancelled, expired_count as expired
                  from grids where id = @grid
                  union all
                  select pending, running, completed, failed, cancelled, expired
                  from grid_counts where grid_id = @grid) c
        )

        """;

    public const string WorkersRegistered = "select count(*)::int from workers where silo_name = any(@silos)";

    /// <summary>
    /// One grid's timings: first claim, last completion, the 10th and 90th percentile completion
    /// (for the steady rate), and per-task latencies in ms: claim → completion ("run"), submission
    /// → claim ("pickup") and submission → completion ("end to end").
    /// </summary>
    public const string GridTimings = """
        select count(*)::int as tasks,
               (count(*) filter (where status = 'completed'))::int as completed,
               min(created_at) as first_created,
               max(created_at) as last_created,
               min(started_at) as first_started,
               max(completed_at) as last_completed,
               percentile_disc(0.1) within group (order by completed_at) as completed_10,
               percentile_disc(0.9) within group (order by completed_at) as completed_90,
               percentile_disc(array[0.5, 0.95, 0.99]) within group (order by (extract(epoch from completed_at - started_at) * 1000)::float8) as run_ms,
               percentile_disc(array[0.5, 0.95, 0.99]) within group (order by (extract(epoch from started_at - created_at) * 1000)::float8) as pickup_ms,
               percentile_disc(array[0.5, 0.95, 0.99]) within group (order by (extract(epoch from completed_at - created_at) * 1000)::float8) as end_to_end_ms
        from tasks
        where grid_id = @grid
        """;

    /// <summary>When each of the given tasks was submitted and claimed (pickup: one task at a time).</summary>
    public const string TaskStarts = """
        select id, created_at, started_at, status
        from tasks
        where id = any(@ids)
        """;

    public const string TasksUnfinished = "select count(*)::int from tasks where id = any(@ids) and status in ('pending', 'running')";

    public const string TableSizes = """
        select pg_total_relation_size('tasks'), pg_relation_size('tasks'),
               pg_total_relation_size('task_queue'), (select count(*) from tasks)
        """;

    // ---- scale: finished tasks written straight into the table ---------------------------------

    /// <summary>
    /// Skips triggers (and foreign-key checks) for this session: the rows below are history being
    /// loaded, not state changes, so they carry their finished state, history and counts as
    /// written. Needs a superuser, which the benchmark's private cluster has.
    /// </summary>
    public const string FillBegin = "set session_replication_role = replica";

    public const string FillEnd = "reset session_replication_role";

    /// <summary>Old, finished grids that the filled tasks belong to (@grids of @per_grid tasks each).</summary>
    public const string FillGrids = """
        insert into grids (id, user_id, name, state, priority, max_attempts, completed_count,
                           created_at, updated_at, started_at, finished_at)
        select ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, @user, 'bench-history-' || g,
               'active', 0, 3, least(@per_grid, @total - (g - 1) * @per_grid)::int,
               @base, @base, @base, @base + interval '1 day'
        from generate_series(1, @grids) g
        """;

    /// <summary>
    /// Tasks @from..@to, completed long ago: UUIDv7-shaped ids in submission order (a millisecond
    /// timestamp from @base, ten tasks per millisecond), one shared history of three transitions.
    /// </summary>
    public const string FillTasks = """
        insert into tasks (id, user_id, grid_id, kind, status, priority, attempt, max_attempts,
                           run_at, created_at, started_at, completed_at, updated_at,
                           transition_actor, transition_reason, history)
        select (lpad(to_hex(@base_ms + i / 10), 12, '0') || '7' || lpad(to_hex(i % 10), 3, '0')
                || '8' || lpad(to_hex(i), 15, '0'))::uuid,
               @user,
               ('00000000-0000-7000-8000-' || lpad(to_hex((i - 1) / @per_grid + 1), 12, '0'))::uuid,
               'noop', 'completed', 0, 1, 3,
               at, at, at + interval '2 ms', at + interval '3 ms', at + interval '3 ms',
               'bench-history', 'completed', @history
        from generate_series(@from, @to) i
        cross join lateral (select @base + (i / 10)::float8 * interval '1 ms' as at) t
        """;

    public const string FillCounts = """
        insert into task_counts (shard, kind, status, count) values (0, 'noop', 'completed', @n)
        on conflict (shard, kind, status) do update set count = task_counts.count + excluded.count
        """;

    public const string VacuumTasks = "vacuum (analyze) tasks";

    public const string AnalyzeTasks = "analyze tasks";

    public const string VacuumGrids = "vacuum (analyze) grids";

    public const string Checkpoint = "checkpoint";
}
