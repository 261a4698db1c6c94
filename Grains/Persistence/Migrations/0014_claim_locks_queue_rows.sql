-- The claim locks queue rows, not task rows, to pass over work another claimer holds.
--
-- 0012's claim walked a lane's queue in order, reached each task by its primary key and locked
-- the task row, skipping rows another transaction held. A second claimer of the same lane walked
-- past every row the first one held with a primary-key lookup and a failed lock each: two claimers
-- of one lane spent about twice the database time per task of one (41 against 20-22 µs, measured
-- with pg_stat_user_functions over 100,000-task drains), so a busy lane was best served by one
-- worker at a time, whose claims then run back to back and bound the rate.
--
-- Now the claim locks the queue rows it walks (FOR UPDATE OF q SKIP LOCKED): a row another claimer
-- holds costs one visit of the narrow queue row. Only the picked rows are then joined to their
-- tasks, which are locked too (SKIP LOCKED: a task a cancel or an expiry is changing right now is
-- left to it; its queue row goes when the claim commits), and updated by the row address (ctid)
-- the lock returned, instead of a second primary-key lookup. In SQL on this project's 2-core
-- machine, claims of 2,000 from a 100,000-task lane, committed: one claimer 4-5 % quicker; two
-- claimers together 58-61 claims/s against 49-50.
--
-- Lock order: the claim never waits for a queue or task row (both SKIP LOCKED), so the writers
-- that take a task row and then its queue row (the queue triggers of 0012) may wait for a claim,
-- never the other way round.
--
-- Otherwise this is 0012's claim, settings included (a create or replace drops any it does not repeat).

create or replace function taskgrid_claim(
    p_worker text, p_max integer, p_max_lanes integer, p_lease_id uuid, p_lease interval, p_now timestamptz)
returns table (id uuid, user_id text, grid_id uuid, kind text, objective text, language text, input jsonb,
               attempt integer, max_attempts integer, timeout interval, lease_token uuid,
               run_at timestamptz, started_at timestamptz)
language plpgsql
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_bitmapscan = off
set enable_sort = off
set jit = off
as $$
#variable_conflict use_column
declare
    claimed integer;
begin
    -- This statement counts what it claims (taskgrid_count_moved); the tasks_updated trigger skips it.
    perform set_config('taskgrid.counted', statement_timestamp()::text, true);
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
        select c.task_id, c.queued, c.priority, c.run_at
        from (select id, capacity from limited_lanes union all select id, capacity from open_lanes) l
        cross join lateral (
            select q.task_id, q.ctid as queued, q.priority, q.run_at
            from task_queue q
            where q.grid_id = l.id
              and q.run_at <= coalesce(p_now, now())
              and (q.expires_at is null or q.expires_at > coalesce(p_now, now()))
            order by q.grid_id, q.priority desc, q.run_at, q.task_id
            limit l.capacity
            for update of q skip locked
        ) c
    ),
    single_candidates as (
        select q.task_id, q.ctid as queued, q.priority, q.run_at
        from task_queue q
        where q.grid_id is null
          and q.run_at <= coalesce(p_now, now())
          and (q.expires_at is null or q.expires_at > coalesce(p_now, now()))
        order by q.grid_id, q.priority desc, q.run_at, q.task_id
        limit p_max
        for update of q skip locked
    ),
    picked as (
        select task_id, queued
        from (select * from lane_candidates union all select * from single_candidates) c
        order by priority desc, run_at, task_id
        limit p_max
    ),
    locked as (
        select t.id as task_id, t.ctid as task_row, p.queued
        from picked p join tasks t on t.id = p.task_id
        where t.status = 'pending'
        for update of t skip locked
    ),
    dequeued as (
        delete from task_queue q
        where q.ctid = any(array(select queued from locked))
    ),
    leased as (
        insert into task_leases (id, worker_id, expires_at, task_ids, created_at)
        select p_lease_id, p_worker, coalesce(p_now, now()) + p_lease, array_agg(task_id), coalesce(p_now, now())
        from locked
        having count(*) > 0
    ),
    claimed as (
        update tasks t
        set status = 'running', attempt = t.attempt + 1, expires_at = null,
            lease_owner = p_worker, lease_token = p_lease_id,
            started_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
            transition_actor = p_worker, transition_reason = 'claimed', version = t.version + 1
        where t.ctid = any(array(select task_row from locked))
        returning t.id, t.user_id, t.grid_id, t.kind, t.objective, t.language, t.input, t.attempt,
                  t.max_attempts, t.timeout, t.lease_token, t.run_at, t.started_at
    ),
    counted as (
        select taskgrid_count_moved('pending', 'running', array_agg(c.grid_id), array_agg(c.kind),
                                    array_agg(c.user_id), coalesce(p_now, now()))
        from claimed c
    )
    select c.* from claimed c cross join counted;

    -- A short batch means every lane looked at ran out of unlocked, due tasks. Lanes with nothing
    -- queued are closed, in this new statement's snapshot (which sees this claim). A grid row
    -- changed since that snapshot (work_version moved: a task was added or came back) or locked
    -- right now (a submission in progress) is left open; skipping it, rather than waiting, also
    -- keeps this claim from ever waiting on a grid row after its counter shards.
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
              and not exists (select 1 from task_queue q where q.grid_id = g.id)
            for no key update of g skip locked
        )
        update grids g set has_work = false
        from idle i
        where g.id = i.id;
    end if;
end
$$;
