-- Rolling upgrades: a silo of the release before 0017 claims through the six-argument
-- taskgrid_claim and completes, renews, fails and releases its tasks by lease token, so it needs
-- every task it claims written running. Since 0017 that claim left them pending: such a silo ran
-- them and had every outcome refused, and they ran again elsewhere once its lease was deleted (the
-- codegen tasks of a pod being replaced, paid for twice). The claim now takes
-- p_leave_task_rows: silos of this release pass true; the six-argument form is the claim of 0014
-- for the previous release, every task written running and counted.
--
-- The body is 0017's with one change: a task is written by the claim when its grid has a
-- concurrency limit or the caller does not leave rows (picked.written); a lease whose tasks were
-- all written records no versions, as before 0017.

create or replace function taskgrid_claim(
    p_worker text, p_max integer, p_max_lanes integer, p_lease_id uuid, p_lease interval, p_now timestamptz,
    p_leave_task_rows boolean)
returns table (id uuid, user_id text, grid_id uuid, kind text, objective text, language text, input jsonb,
               attempt integer, max_attempts integer, timeout interval, lease_token uuid,
               run_at timestamptz, started_at timestamptz, version bigint)
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
    -- This statement counts what it writes running (taskgrid_count_moved); the tasks_updated trigger skips it.
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
        select c.task_id, c.queued, c.priority, c.run_at, l.limited
        from (select id, capacity, true as limited from limited_lanes
              union all select id, capacity, false from open_lanes) l
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
        select q.task_id, q.ctid as queued, q.priority, q.run_at, false as limited
        from task_queue q
        where q.grid_id is null
          and q.run_at <= coalesce(p_now, now())
          and (q.expires_at is null or q.expires_at > coalesce(p_now, now()))
        order by q.grid_id, q.priority desc, q.run_at, q.task_id
        limit p_max
        for update of q skip locked
    ),
    picked as (
        select task_id, queued, limited or not p_leave_task_rows as written
        from (select * from lane_candidates union all select * from single_candidates) c
        order by priority desc, run_at, task_id
        limit p_max
    ),
    -- A task row a cancel or an expiry holds right now is left to it (SKIP LOCKED), as in 0014;
    -- only the rows written here are locked.
    locked_limited as (
        select t.id as task_id, t.ctid as task_row, p.queued
        from picked p join tasks t on t.id = p.task_id
        where p.written and t.status = 'pending'
        for update of t skip locked
    ),
    leased_open as (
        select t.id as task_id, t.ctid as task_row, t.version, p.queued
        from picked p join tasks t on t.id = p.task_id
        where not p.written and t.status = 'pending'
    ),
    taken as (
        select task_id, queued, null::bigint as version from locked_limited
        union all
        select task_id, queued, version from leased_open
    ),
    dequeued as (
        delete from task_queue q
        where q.ctid = any(array(select queued from taken))
    ),
    leased as (
        insert into task_leases (id, worker_id, expires_at, task_ids, task_versions, created_at)
        select p_lease_id, p_worker, coalesce(p_now, now()) + p_lease, array_agg(task_id),
               case when bool_or(version is not null) then array_agg(version) end,
               coalesce(p_now, now())
        from taken
        having count(*) > 0
    ),
    written as (
        update tasks t
        set status = 'running', attempt = t.attempt + 1, expires_at = null,
            lease_owner = p_worker, lease_token = p_lease_id,
            started_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
            transition_actor = p_worker, transition_reason = 'claimed', version = t.version + 1
        where t.ctid = any(array(select task_row from locked_limited))
        returning t.id, t.user_id, t.grid_id, t.kind, t.objective, t.language, t.input, t.attempt,
                  t.max_attempts, t.timeout, t.lease_token, t.run_at, t.started_at, null::bigint as version
    ),
    counted as (
        select taskgrid_count_moved('pending', 'running', array_agg(w.grid_id), array_agg(w.kind),
                                    array_agg(w.user_id), coalesce(p_now, now()))
        from written w
    ),
    unwritten as (
        select t.id, t.user_id, t.grid_id, t.kind, t.objective, t.language, t.input, t.attempt + 1,
               t.max_attempts, t.timeout, p_lease_id, t.run_at, coalesce(p_now, now()), t.version
        from tasks t
        where t.ctid = any(array(select task_row from leased_open))
    )
    select w.* from written w cross join counted
    union all
    select u.* from unwritten u;

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

-- The previous release's claim: every claimed task written running, as in 0014.
drop function if exists taskgrid_claim(text, integer, integer, uuid, interval, timestamptz);
create function taskgrid_claim(
    p_worker text, p_max integer, p_max_lanes integer, p_lease_id uuid, p_lease interval, p_now timestamptz)
returns table (id uuid, user_id text, grid_id uuid, kind text, objective text, language text, input jsonb,
               attempt integer, max_attempts integer, timeout interval, lease_token uuid,
               run_at timestamptz, started_at timestamptz, version bigint)
language sql
set jit = off
as $$
    select * from taskgrid_claim(p_worker, p_max, p_max_lanes, p_lease_id, p_lease, p_now, p_leave_task_rows => false)
$$;
