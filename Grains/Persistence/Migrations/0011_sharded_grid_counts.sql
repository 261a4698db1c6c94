-- Grid counters without a queue on the grid row.
--
-- Every claim and every acknowledgement of a grid's tasks used to update the grid's row (its
-- per-status counters) and hold that row lock until commit, so all workers of one grid ran one
-- statement at a time: in a drain with the default Prefetch of 10, the counter update of the
-- tasks_updated trigger waited 8.3 ms on average and the engine made about 1,000 tasks/s.
--
-- Grids without a concurrency limit now count in grid_counts, sharded per backend like
-- task_counts: each backend adds its deltas to its own row of the grid (pg_backend_pid() % 16),
-- and readers add the shards to the grid row's own counters (GridQueries.Columns). Grids with a
-- limit keep every count on their row: their claimers lock the row anyway (the free capacity is
-- read under that lock), and the limit needs the exact running count there. max_concurrency never
-- changes after a grid is created, so a grid's counts never move between the two places.
--
-- The claim used to find its lanes by pending_count > 0, which unlimited grids no longer keep
-- exact. They are found by has_work instead: set (and work_version bumped) by every statement that
-- makes a task of the grid pending, cleared by a claimer that came back short, only if no task of
-- the grid is claimable in its snapshot and the row has not changed since (see taskgrid_claim).
-- has_work can be true with nothing to claim (one empty look at the lane, then it is cleared); it
-- is never false while a committed task of the grid is pending.
--
-- Lock order, everywhere: grid rows, then grid_counts, then task_counts and user_pending.
create table if not exists grid_counts (
    grid_id    uuid not null references grids (id) on delete cascade,
    shard      smallint not null,
    pending    integer not null default 0,
    running    integer not null default 0,
    completed  integer not null default 0,
    failed     integer not null default 0,
    cancelled  integer not null default 0,
    expired    integer not null default 0,
    -- The first claim this shard counted, and its last change: readers derive the grid's
    -- started_at (earliest) and finished_at (latest, once nothing is pending or running).
    started_at timestamptz,
    changed_at timestamptz,
    primary key (grid_id, shard)
);

alter table grids add column if not exists has_work boolean not null default false;
alter table grids add column if not exists work_version bigint not null default 0;

-- The backfill must not race writers still using the old functions (see 0009 for the DO).
do $$ begin lock table tasks in share mode; end $$;
update grids g set has_work = true
where not g.has_work and exists (select 1 from tasks t where t.grid_id = g.id and t.claimable);

drop index if exists grids_lanes;
create index if not exists grids_lanes on grids (priority desc, created_at, id)
    where state = 'active' and has_work;

create or replace function taskgrid_tasks_inserted() returns trigger language plpgsql as $$
begin
    with added as (
        select grid_id, count(*)::integer as added, max(updated_at) as at
        from new_tasks where grid_id is not null
        group by grid_id
    ),
    flagged as (
        update grids g
        set has_work = true, work_version = g.work_version + 1, finished_at = null,
            pending_count = g.pending_count + case when g.max_concurrency is null then 0 else a.added end
        from (select grid_id, added from added order by grid_id) a
        where g.id = a.grid_id
        returning g.id, g.max_concurrency is null as unlimited
    )
    -- Joining flagged makes the grid rows come first (lock order).
    insert into grid_counts (grid_id, shard, pending, changed_at)
    select a.grid_id, pg_backend_pid() % 16, a.added, a.at
    from added a join flagged f on f.id = a.grid_id
    where f.unlimited
    order by a.grid_id
    on conflict (grid_id, shard) do update
    set pending = grid_counts.pending + excluded.pending,
        changed_at = greatest(grid_counts.changed_at, excluded.changed_at);

    insert into task_counts (shard, kind, status, count)
    select pg_backend_pid() % 16, kind, status, count(*)
    from new_tasks
    group by kind, status
    order by kind, status
    on conflict (shard, kind, status) do update set count = task_counts.count + excluded.count;

    insert into user_pending (shard, user_id, count)
    select pg_backend_pid() % 16, user_id, count(*)
    from new_tasks
    where status = 'pending'
    group by user_id
    order by user_id
    on conflict (shard, user_id) do update set count = user_pending.count + excluded.count;

    perform pg_notify('taskgrid_tasks', '');
    return null;
end
$$;

create or replace function taskgrid_tasks_updated() returns trigger language plpgsql as $$
declare
    requeued integer;
    freed_limited boolean;
    cancelled uuid[];
    task_id uuid;
begin
    with moved as (
        select n.id, n.grid_id, n.user_id, n.kind, o.status as from_status, n.status as to_status, n.updated_at
        from old_tasks o join new_tasks n on n.id = o.id
        where n.status <> o.status
    ),
    deltas as (
        select m.grid_id, g.max_concurrency is null as unlimited, max(m.updated_at) as at,
               sum((to_status = 'pending')::integer)                                          as requeued,
               sum((to_status = 'pending')::integer   - (from_status = 'pending')::integer)   as pending,
               sum((to_status = 'running')::integer   - (from_status = 'running')::integer)   as running,
               sum((to_status = 'completed')::integer - (from_status = 'completed')::integer) as completed,
               sum((to_status = 'failed')::integer    - (from_status = 'failed')::integer)    as failed,
               sum((to_status = 'cancelled')::integer - (from_status = 'cancelled')::integer) as cancelled,
               sum((to_status = 'expired')::integer   - (from_status = 'expired')::integer)   as expired
        from moved m join grids g on g.id = m.grid_id
        group by m.grid_id, g.max_concurrency
        order by m.grid_id
    ),
    -- Grids with a concurrency limit: every count on the row, as before.
    counted as (
        update grids g
        set pending_count   = g.pending_count + d.pending,
            running_count   = g.running_count + d.running,
            completed_count = g.completed_count + d.completed,
            failed_count    = g.failed_count + d.failed,
            cancelled_count = g.cancelled_count + d.cancelled,
            expired_count   = g.expired_count + d.expired,
            started_at      = coalesce(g.started_at, case when d.running > 0 then d.at end),
            finished_at     = case when g.pending_count + d.pending + g.running_count + d.running = 0
                                   then d.at end,
            has_work        = g.has_work or d.requeued > 0,
            work_version    = g.work_version + (d.requeued > 0)::integer
        from deltas d
        where g.id = d.grid_id and not d.unlimited
        -- A finished task of a concurrency-limited grid opens a slot that claimers skipped.
        returning d.running < 0 and g.pending_count > 0 as freed
    ),
    -- Grids without a limit: the row only learns that work came back.
    flagged as (
        update grids g
        set has_work = true, work_version = g.work_version + 1
        from deltas d
        where g.id = d.grid_id and d.unlimited and d.requeued > 0
        returning g.id
    ),
    sharded as (
        insert into grid_counts (grid_id, shard, pending, running, completed, failed, cancelled, expired,
                                 started_at, changed_at)
        select d.grid_id, pg_backend_pid() % 16, d.pending, d.running, d.completed, d.failed, d.cancelled,
               d.expired, case when d.running > 0 then d.at end, d.at
        from deltas d
        -- Waiting for flagged makes the grid rows come first (lock order).
        cross join (select count(*) from flagged) f
        where d.unlimited
        order by d.grid_id
        on conflict (grid_id, shard) do update
        set pending    = grid_counts.pending + excluded.pending,
            running    = grid_counts.running + excluded.running,
            completed  = grid_counts.completed + excluded.completed,
            failed     = grid_counts.failed + excluded.failed,
            cancelled  = grid_counts.cancelled + excluded.cancelled,
            expired    = grid_counts.expired + excluded.expired,
            started_at = coalesce(grid_counts.started_at, excluded.started_at),
            changed_at = greatest(grid_counts.changed_at, excluded.changed_at)
    ),
    kind_deltas as (
        select kind, status, sum(delta) as delta
        from (select kind, to_status as status, 1 as delta from moved
              union all
              select kind, from_status, -1 from moved) d
        group by kind, status
        having sum(delta) <> 0
        order by kind, status
    ),
    kinds_counted as (
        insert into task_counts (shard, kind, status, count)
        select pg_backend_pid() % 16, kind, status, delta from kind_deltas
        on conflict (shard, kind, status) do update set count = task_counts.count + excluded.count
    ),
    user_deltas as (
        select user_id, sum((to_status = 'pending')::integer - (from_status = 'pending')::integer) as delta
        from moved
        where (to_status = 'pending') <> (from_status = 'pending')
        group by user_id
        order by user_id
    ),
    users_counted as (
        insert into user_pending (shard, user_id, count)
        select pg_backend_pid() % 16, user_id, delta from user_deltas
        on conflict (shard, user_id) do update set count = user_pending.count + excluded.count
    )
    select (select count(*) from moved where to_status = 'pending'),
           (select coalesce(bool_or(freed), false) from counted),
           (select array_agg(id) from moved where from_status = 'running' and to_status = 'cancelled')
    into requeued, freed_limited, cancelled;

    if requeued > 0 or freed_limited then
        perform pg_notify('taskgrid_tasks', '');
    end if;
    -- A running attempt of a cancelled task is told to stop; its worker also finds out when
    -- its next lease renewal reports the task gone.
    if cancelled is not null then
        foreach task_id in array cancelled loop
            perform pg_notify('taskgrid_cancel', task_id::text);
        end loop;
    end if;
    return null;
end
$$;

-- The claim of 0008, finding lanes by has_work, and clearing it on lanes it found empty.
create or replace function taskgrid_claim(
    p_worker text, p_max integer, p_max_lanes integer, p_lease_id uuid, p_lease interval, p_now timestamptz)
returns table (id uuid, user_id text, grid_id uuid, kind text, objective text, language text, input jsonb,
               attempt integer, max_attempts integer, timeout interval, lease_token uuid,
               run_at timestamptz, started_at timestamptz)
language plpgsql
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
declare
    claimed integer;
begin
    return query
    with limited_lanes as (
        select g.id, least(p_max, g.max_concurrency - g.running_count) as capacity
        from grids g
        where g.state = 'active' and g.has_work and g.pending_count > 0
          and g.max_concurrency is not null and g.running_count < g.max_concurrency
          and (g.active_from is null or g.active_from <= coalesce(p_now, now()))
          and (g.retire_at is null or g.retire_at > coalesce(p_now, now()))
        order by g.priority desc, g.created_at, g.id
        limit p_max_lanes
        for no key update of g
    ),
    open_lanes as (
        select g.id, p_max as capacity
        from grids g
        where g.state = 'active' and g.has_work and g.max_concurrency is null
          and (g.active_from is null or g.active_from <= coalesce(p_now, now()))
          and (g.retire_at is null or g.retire_at > coalesce(p_now, now()))
        order by g.priority desc, g.created_at, g.id
        limit p_max_lanes
    ),
    lane_candidates as (
        select c.id, c.priority, c.run_at
        from (select id, capacity from limited_lanes union all select id, capacity from open_lanes) l
        cross join lateral (
            select t.id, t.priority, t.run_at
            from tasks t
            where t.grid_id = l.id and t.claimable
              and t.run_at <= coalesce(p_now, now())
              and (t.expires_at is null or t.expires_at > coalesce(p_now, now()))
            order by t.grid_id, t.priority desc, t.run_at, t.id
            limit l.capacity
            for update of t skip locked
        ) c
    ),
    single_candidates as (
        select t.id, t.priority, t.run_at
        from tasks t
        where t.grid_id is null and t.claimable
          and t.run_at <= coalesce(p_now, now())
          and (t.expires_at is null or t.expires_at > coalesce(p_now, now()))
        order by t.grid_id, t.priority desc, t.run_at, t.id
        limit p_max
        for update of t skip locked
    ),
    picked as (
        select id
        from (select * from lane_candidates union all select * from single_candidates) c
        order by priority desc, run_at, id
        limit p_max
    ),
    leased as (
        insert into task_leases (id, worker_id, expires_at, task_ids, created_at)
        select p_lease_id, p_worker, coalesce(p_now, now()) + p_lease, array_agg(id), coalesce(p_now, now())
        from picked
        having count(*) > 0
    )
    update tasks t
    set status = 'running', claimable = false, attempt = t.attempt + 1, expires_at = null,
        lease_owner = p_worker, lease_token = p_lease_id,
        started_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
        transition_actor = p_worker, transition_reason = 'claimed', version = t.version + 1,
        history = t.history || jsonb_build_object(
            'at', coalesce(p_now, now()), 'from', t.status, 'to', 'running', 'attempt', t.attempt + 1,
            'actor', p_worker, 'reason', 'claimed')
    from picked p
    where t.id = p.id
    returning t.id, t.user_id, t.grid_id, t.kind, t.objective, t.language, t.input, t.attempt,
              t.max_attempts, t.timeout, t.lease_token, t.run_at, t.started_at;

    -- A short batch means every lane looked at ran out of unlocked, due tasks. Lanes with no
    -- claimable task left are closed, in this new statement's snapshot (which sees this claim).
    -- A grid row changed since that snapshot (work_version moved: a task was added or came back)
    -- or locked right now (a submission in progress) is left open; skipping it, rather than
    -- waiting, also keeps this claim from ever waiting on a grid row after its counter shards.
    get diagnostics claimed = row_count;
    if claimed < p_max then
        with seen as (
            select g.id, g.work_version
            from grids g
            where g.state = 'active' and g.has_work
              and (g.active_from is null or g.active_from <= coalesce(p_now, now()))
              and (g.retire_at is null or g.retire_at > coalesce(p_now, now()))
            order by g.priority desc, g.created_at, g.id
            limit p_max_lanes
        ),
        idle as (
            select g.id
            from grids g join seen s on s.id = g.id
            where g.work_version = s.work_version
              and not exists (select 1 from tasks t where t.grid_id = g.id and t.claimable)
            for no key update of g skip locked
        )
        update grids g set has_work = false
        from idle i
        where g.id = i.id;
    end if;
end
$$;
