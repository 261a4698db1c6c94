-- Wake-ups sized to the work, and submissions with cached plans.
--
-- Wake-ups. A task notification used to carry no payload, and every silo woke all of its claim
-- loops for it: one submitted task started four claims racing for one row on an idle cluster.
-- Notifications on taskgrid_tasks now carry how many claims the news is worth (the number of
-- tasks queued, or moved back to pending), and a silo wakes that many loops, idle ones first; an
-- empty payload still wakes all of them. The queue's insert trigger announces new work, so the
-- counters' insert trigger (0011) no longer notifies. The due-work probe becomes a function, so
-- that its plan is cached.
--
-- Submissions. Inserting tasks was a long statement (thirteen unnested arrays) parsed and planned
-- on every call, because callers send no prepared statements (DataSourceFactory): 0.7 ms of a
-- single submission's 1.5 ms of work before its commit, seen in the statement log of an
-- idle-cluster pickup. The insert is now a function, planned once per connection.
--
-- The per-user pending cap is checked by taskgrid_check_pending_cap(), which raises TG429 past
-- the cap. A single submission sends its insert and this check in one implicit transaction, so
-- that a submission past the cap is rolled back without a BEGIN and a COMMIT of its own; grids
-- and bulk adds call it before inserting (no 10,000-row insert just to refuse it).
--
-- 0012 shipped without these, so everything here is a create or replace of its own.

-- Counting, as in 0012, now announcing how many tasks came back to pending (or how many slots of
-- a limited grid were freed) instead of an empty notification.
create or replace function taskgrid_count_moved(
    p_from text, p_to text, p_grid_ids uuid[], p_kinds text[], p_user_ids text[], p_at timestamptz)
returns void language plpgsql
set jit = off
as $$
declare
    slot_freed boolean;
begin
    if p_from = p_to or coalesce(cardinality(p_kinds), 0) = 0 then
        return;
    end if;
    with per_grid as (
        select grid_id, count(*)::integer as n,
               count(*)::integer * ((p_to = 'pending')::integer   - (p_from = 'pending')::integer)   as pending,
               count(*)::integer * ((p_to = 'running')::integer   - (p_from = 'running')::integer)   as running,
               count(*)::integer * ((p_to = 'completed')::integer - (p_from = 'completed')::integer) as completed,
               count(*)::integer * ((p_to = 'failed')::integer    - (p_from = 'failed')::integer)    as failed,
               count(*)::integer * ((p_to = 'cancelled')::integer - (p_from = 'cancelled')::integer) as cancelled,
               count(*)::integer * ((p_to = 'expired')::integer   - (p_from = 'expired')::integer)   as expired
        from unnest(p_grid_ids) as grid_id
        where grid_id is not null
        group by grid_id
    ),
    -- Every count of a limited grid lives on its row; an unlimited grid's row only learns that
    -- work came back (has_work).
    grid_rows as (
        update grids g
        set pending_count   = g.pending_count + case when g.max_concurrency is null then 0 else d.pending end,
            running_count   = g.running_count + case when g.max_concurrency is null then 0 else d.running end,
            completed_count = g.completed_count + case when g.max_concurrency is null then 0 else d.completed end,
            failed_count    = g.failed_count + case when g.max_concurrency is null then 0 else d.failed end,
            cancelled_count = g.cancelled_count + case when g.max_concurrency is null then 0 else d.cancelled end,
            expired_count   = g.expired_count + case when g.max_concurrency is null then 0 else d.expired end,
            started_at      = case when g.max_concurrency is null then g.started_at
                                   else coalesce(g.started_at, case when p_to = 'running' then p_at end) end,
            finished_at     = case when g.max_concurrency is null then g.finished_at
                                   when g.pending_count + d.pending + g.running_count + d.running = 0 then p_at end,
            has_work        = g.has_work or p_to = 'pending',
            work_version    = g.work_version + (p_to = 'pending')::integer
        from (select * from per_grid order by grid_id) d
        where g.id = d.grid_id and (g.max_concurrency is not null or p_to = 'pending')
        returning g.id, g.max_concurrency is null as unlimited,
                  g.max_concurrency is not null and p_from = 'running' and g.pending_count > 0 as freed
    ),
    unlimited as (
        select d.*
        from per_grid d join grids g on g.id = d.grid_id
        where g.max_concurrency is null
    ),
    sharded as (
        insert into grid_counts (grid_id, shard, pending, running, completed, failed, cancelled, expired,
                                 started_at, changed_at)
        select d.grid_id, pg_backend_pid() % 16, d.pending, d.running, d.completed, d.failed, d.cancelled,
               d.expired, case when p_to = 'running' then p_at end, p_at
        from unlimited d
        -- Waiting for grid_rows makes the grid rows come first (lock order).
        cross join (select count(*) from grid_rows) r
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
    )
    select coalesce(bool_or(freed), false) into slot_freed from grid_rows;

    insert into task_counts (shard, kind, status, count)
    select pg_backend_pid() % 16, k.kind, m.status, m.sign * k.n
    from (select kind, count(*) as n from unnest(p_kinds) as kind group by kind) k
    cross join (values (p_from, -1), (p_to, 1)) as m(status, sign)
    order by k.kind, m.status
    on conflict (shard, kind, status) do update set count = task_counts.count + excluded.count;

    if p_from = 'pending' or p_to = 'pending' then
        insert into user_pending (shard, user_id, count)
        select pg_backend_pid() % 16, user_id, count(*) * (case when p_to = 'pending' then 1 else -1 end)
        from unnest(p_user_ids) as user_id
        group by user_id
        order by user_id
        on conflict (shard, user_id) do update set count = user_pending.count + excluded.count;
    end if;

    -- The payload says how many claims the news is worth, so that a silo wakes that many of its
    -- idle workers rather than all of them.
    if slot_freed or p_to = 'pending' then
        perform pg_notify('taskgrid_tasks', cardinality(p_kinds)::text);
    end if;
end
$$;

-- The counters' insert trigger of 0011, without its notification: the queue's insert trigger
-- (below) announces new work, with how much of it there is.
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
    return null;
end
$$;

-- The next time work that is not due yet becomes claimable: the first future due time in the
-- queue, or the first future window opening of a grid with waiting tasks. Every silo asks after
-- each announcement of new work (at most every 20 ms), so it is a function with a cached plan:
-- planning the two probes cost more than running them (0.85 ms against 0.04).
create or replace function taskgrid_next_due(p_now timestamptz) returns table (db_now timestamptz, next_due timestamptz)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
    return query
    select coalesce(p_now, now()),
           least((select min(q.run_at) from task_queue q
                  where q.delayed and q.run_at > coalesce(p_now, now())),
                 (select min(g.active_from) from grids g
                  where g.active_from > coalesce(p_now, now()) and g.state = 'active' and g.has_work));
end
$$;

-- New pending tasks are queued once per statement (0012), and announced with their number.
create or replace function taskgrid_tasks_queue_inserted() returns trigger language plpgsql as $$
declare
    queued integer;
begin
    insert into task_queue (task_id, grid_id, priority, run_at, expires_at, delayed)
    select id, grid_id, priority, run_at, expires_at, run_at > created_at
    from new_tasks
    where status = 'pending';
    get diagnostics queued = row_count;
    -- How many claims the news is worth (see taskgrid_count_moved).
    if queued > 0 then
        perform pg_notify('taskgrid_tasks', queued::text);
    end if;
    return null;
end
$$;

create or replace function taskgrid_insert_tasks(
    p_ids uuid[], p_user_ids text[], p_grid_ids uuid[], p_kinds text[], p_priorities integer[],
    p_objectives text[], p_languages text[], p_inputs jsonb[], p_max_attempts integer[],
    p_timeouts interval[], p_ttls interval[], p_run_ats timestamptz[], p_delays interval[],
    p_actor text, p_now timestamptz)
returns setof tasks
language plpgsql
set plan_cache_mode = force_generic_plan
set jit = off
as $$
begin
    -- A task is due at its run_at, or after its delay, or now; a run_at in the past counts as now,
    -- so that only truly delayed tasks have run_at after created_at. The TTL counts from when the
    -- task becomes due.
    return query
    insert into tasks (id, user_id, grid_id, kind, status, priority, objective, language, input,
                       attempt, max_attempts, timeout, ttl, run_at, expires_at, created_at, updated_at,
                       transition_actor, transition_reason)
    select t.id, t.user_id, t.grid_id, t.kind, 'pending', t.priority, t.objective, t.language, t.input,
           0, t.max_attempts, t.timeout, t.ttl, d.due, d.due + t.ttl,
           coalesce(p_now, now()), coalesce(p_now, now()), p_actor, 'submitted'
    from unnest(p_ids, p_user_ids, p_grid_ids, p_kinds, p_priorities, p_objectives, p_languages, p_inputs,
                p_max_attempts, p_timeouts, p_ttls, p_run_ats, p_delays)
         as t(id, user_id, grid_id, kind, priority, objective, language, input, max_attempts, timeout, ttl,
              run_at, delay)
    cross join lateral (
        select greatest(coalesce(p_now, now()),
                        coalesce(t.run_at, coalesce(p_now, now()) + t.delay, coalesce(p_now, now()))) as due
    ) d
    returning *;
end
$$;

-- Raises TG429 (the API's 429) when the owner's pending tasks, with p_adding more, would pass the
-- owner's cap (users.max_pending_tasks, else p_default_cap). p_included says whether the p_adding
-- tasks are already inserted (and so already counted in user_pending, migration 0009).
create or replace function taskgrid_check_pending_cap(p_owner text, p_adding integer, p_default_cap integer, p_included boolean)
returns void
language plpgsql
as $$
declare
    pending bigint;
    cap integer;
begin
    select coalesce(sum(count), 0) into pending from user_pending where user_id = p_owner;
    select coalesce((select max_pending_tasks from users where id = p_owner), p_default_cap) into cap;
    if p_included then
        pending := pending - p_adding;
    end if;
    if pending + p_adding > cap then
        raise exception 'User ''%'' has % pending tasks and may have at most %; these % would pass the cap. Wait for some to finish, or ask an admin to raise max_pending_tasks.',
            p_owner, pending, cap, p_adding
            using errcode = 'TG429';
    end if;
end
$$;
