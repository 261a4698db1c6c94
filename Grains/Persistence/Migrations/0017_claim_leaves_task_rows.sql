-- A claim writes no task row: a leased task stays 'pending' in tasks until something needs it
-- written, most often its completion, which moves it pending -> completed in one update.
--
-- Until now every task was written twice on the hot path: the claim moved it pending -> running
-- (attempt, lease, started_at, the worker as actor, and the counters), the completion moved it
-- running -> completed. Measured end to end on this project's 2-core machine (100,000-task drains,
-- bench/experiments/claim-without-task-write): a claim that only takes queue rows and writes the
-- batch's lease drained 1.28-1.36x as fast, and PostgreSQL's CPU per task fell from 24-26 to 16-17 µs.
--
-- The rules that keep it exact:
--   * A leased task is pending with no queue row, named in exactly one live lease together with
--     the version its row had when claimed (task_leases.task_versions, parallel to task_ids). Every
--     write to a task row moves its version, so "pending, and the version the lease recorded" means
--     "untouched since that claim": the fence of every acknowledgement of such a task, whatever
--     other, older lease may still list it.
--   * Whatever changes a leased task first writes it as running, exactly as the old claim did
--     (taskgrid_mark_running: attempt, lease owner and token, started_at from the lease's
--     created_at, the worker as actor): the worker's failures and releases, the reaper, a silo
--     taking back its previous incarnation's leases, cancels. The rest of their statements are
--     unchanged and fenced by lease token, as before. Workers also mark an attempt that runs
--     longer than a moment (TaskGrid:Worker:MarkRunningAfter), so that the API and the counters
--     show it running; a task that finishes sooner is written once.
--   * The completion moves a leased task pending -> completed, writing what the claim used to
--     (attempt, started_at, actor), and counts pending -> completed once; a task written as running is
--     completed as before. The history reads the claim from those columns (taskgrid_task_history),
--     so a task's events are what they were.
--   * Grids with a concurrency limit keep their exact running count, which the claim reads: their
--     tasks are still written running by the claim, which locks those grid rows anyway.
--
-- Leases written before this migration have no task_versions; their tasks are running rows and
-- are served by the lease-token paths, unchanged.

alter table task_leases add column if not exists task_versions bigint[];
alter table task_leases alter column task_versions set storage external;

-- The completion moves a leased task pending -> completed itself; like running -> completed, the
-- transition trigger does not see it (taskgrid_task_history adds both entries from the row).
drop trigger if exists tasks_transition on tasks;
create trigger tasks_transition before update of status on tasks
    for each row when (old.status is distinct from new.status
                       and not (old.status = 'pending' and new.status = 'running')
                       and not (old.status in ('pending', 'running') and new.status = 'completed'
                                and new.transition_reason = 'completed'))
    execute function taskgrid_task_transition();

-- A leased task has no queue row to remove: neither marking it running nor completing it touches the queue.
drop trigger if exists tasks_queue_moved on tasks;
create trigger tasks_queue_moved after update of status on tasks
    for each row when (old.status is distinct from new.status
                       and (new.status = 'pending'
                            or (old.status = 'pending' and new.status not in ('running', 'completed'))))
    execute function taskgrid_task_queue_moved();

-- Every task a lease names, with the version its row had when claimed (leases of this migration
-- on). The lease still holds the task while the row is pending at that version.
create or replace view task_lease_entries as
select u.task_id, l.id as lease_id, u.version, l.worker_id, l.created_at
from task_leases l
cross join lateral unnest(l.task_ids, l.task_versions) as u(task_id, version)
where l.task_versions is not null;

-- Writes leased tasks as running, as the claim of 0014 did, for tasks still untouched since their
-- claim (pending, at the version the lease recorded) and whose lease still exists. Counted by the
-- tasks_updated statement trigger (pending -> running). Returns how many it wrote.
create or replace function taskgrid_mark_running(
    p_ids uuid[], p_tokens uuid[], p_versions bigint[], p_now timestamptz)
returns integer
language plpgsql
set jit = off
as $$
declare
    marked integer;
begin
    update tasks t
    set status = 'running', attempt = t.attempt + 1, expires_at = null,
        lease_owner = l.worker_id, lease_token = l.id, started_at = l.created_at,
        updated_at = coalesce(p_now, now()),
        transition_actor = l.worker_id, transition_reason = 'claimed', version = t.version + 1
    from unnest(p_ids, p_tokens, p_versions) as r(id, token, version)
    join task_leases l on l.id = r.token
    where t.id = r.id and t.status = 'pending' and t.version = r.version;
    get diagnostics marked = row_count;
    return marked;
end
$$;

-- Writes the still-leased tasks of these leases as running, and returns the leases: the reaper and
-- a rejoining silo then requeue those tasks by lease token, as before.
create or replace function taskgrid_mark_leases_running(p_lease_ids uuid[], p_now timestamptz)
returns uuid[]
language plpgsql
set jit = off
as $$
begin
    perform taskgrid_mark_running(array_agg(e.task_id), array_agg(e.lease_id), array_agg(e.version), p_now)
    from task_lease_entries e
    where e.lease_id = any(p_lease_ids);
    return coalesce(p_lease_ids, '{}');
end
$$;

-- A lease is deleted by its worker once every task of its batch is settled, and by the reaper and
-- a rejoining silo after they took its tasks back. Should one still hold a leased task when it goes
-- (a bug, or a silo of the previous release during a rolling upgrade, which knows nothing of leased
-- pending tasks), that task would be pending with no queue row and no lease: lost. This trigger
-- gives it back to the queue instead, as a release does (the attempt is not counted), keeping its
-- due time and so its place.
create or replace function taskgrid_lease_deleted() returns trigger
language plpgsql
set jit = off
as $$
declare
    held uuid[];
    versions bigint[];
begin
    if old.task_versions is null then
        return old;
    end if;
    select array_agg(t.id), array_agg(t.version) into held, versions
    from unnest(old.task_ids, old.task_versions) as u(id, version)
    join tasks t on t.id = u.id
    where t.status = 'pending' and t.version = u.version;
    if held is not null then
        perform taskgrid_mark_running(held, array_fill(old.id, array[cardinality(held)]), versions, null);
        update tasks t
        set status = 'pending', attempt = greatest(t.attempt - 1, 0), updated_at = now(),
            lease_owner = null, lease_token = null, transition_actor = 'lease ' || old.id,
            transition_reason = 'released: its lease was deleted while it still held the task',
            version = t.version + 1
        where t.id = any(held) and t.lease_token = old.id and t.status = 'running';
    end if;
    return old;
end
$$;

drop trigger if exists task_leases_deleted on task_leases;
create trigger task_leases_deleted before delete on task_leases
    for each row execute function taskgrid_lease_deleted();

-- A grid_counts row's foreign key made every write of a new shard row, and every second write of
-- one in the same transaction (PostgreSQL re-checks a key on a row version of its own
-- transaction), lock the grid row FOR KEY SHARE: after the counter row, against the lock order of
-- 0011 (grid rows first). A submission holds its grid row FOR UPDATE and then writes its counter
-- shard, so a completion counting twice in one statement deadlocked with it, hundreds of times a
-- minute in the steady benchmark at 5,000 tasks/s (found with the first version of this
-- migration; the failures and releases that mark and then move a task count twice as well). Grids
-- are never deleted by TaskGrid; the cascade becomes a trigger, and the key goes.
alter table grid_counts drop constraint if exists grid_counts_grid_id_fkey;

create or replace function taskgrid_grid_deleted() returns trigger language plpgsql as $$
begin
    delete from grid_counts where grid_id = old.id;
    return old;
end
$$;

drop trigger if exists grids_deleted on grids;
create trigger grids_deleted after delete on grids
    for each row execute function taskgrid_grid_deleted();

-- Counting, as in 0013, with the start of a move that skips running: a leased task completed
-- from pending has started (at its claim, p_started_at), and a grid's started_at is its first
-- start. Callers with six arguments are unchanged.
drop function if exists taskgrid_count_moved(text, text, uuid[], text[], text[], timestamptz);
create or replace function taskgrid_count_moved(
    p_from text, p_to text, p_grid_ids uuid[], p_kinds text[], p_user_ids text[], p_at timestamptz,
    p_started_at timestamptz default null)
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
                                   else coalesce(g.started_at, case when p_to = 'running' then p_at else p_started_at end) end,
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
               d.expired, case when p_to = 'running' then p_at else p_started_at end, p_at
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


-- The claim of 0014 with one change: outside grids with a concurrency limit it leaves the task
-- rows alone. It takes the queue rows, writes the batch's lease (with each task's version) and
-- reads the tasks for the worker, returning each one's version; tasks of limited grids are written
-- running and counted as before (their version is returned as null: their lease token fences them).
-- Settings as in 0012. Its result gains a column, so it is dropped and created again; a silo of
-- the previous release reads the columns it knows by name and goes on working.
drop function if exists taskgrid_claim(text, integer, integer, uuid, interval, timestamptz);
create function taskgrid_claim(
    p_worker text, p_max integer, p_max_lanes integer, p_lease_id uuid, p_lease interval, p_now timestamptz)
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
        select task_id, queued, limited
        from (select * from lane_candidates union all select * from single_candidates) c
        order by priority desc, run_at, task_id
        limit p_max
    ),
    -- A task row a cancel or an expiry holds right now is left to it (SKIP LOCKED), as in 0014;
    -- only limited grids' rows are locked, because only they are written here.
    locked_limited as (
        select t.id as task_id, t.ctid as task_row, p.queued
        from picked p join tasks t on t.id = p.task_id
        where p.limited and t.status = 'pending'
        for update of t skip locked
    ),
    leased_open as (
        select t.id as task_id, t.ctid as task_row, t.version, p.queued
        from picked p join tasks t on t.id = p.task_id
        where not p.limited and t.status = 'pending'
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
        select p_lease_id, p_worker, coalesce(p_now, now()) + p_lease, array_agg(task_id), array_agg(version),
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

-- The successful completion. A leased task (p_versions not null) is completed from pending when
-- untouched since its claim and its lease still exists, writing what the claim used to; a task
-- written running (a limited grid's, one marked running) is completed by lease token, as in 0012.
-- The second update only looks at what the first did not take (normally nothing). Each counts
-- its own move. The completion of 0012 (without versions) stays for silos of the previous release
-- during a rolling upgrade: it completes running tasks, and their leased ones are refused and go
-- back to the queue when their lease is deleted (above).
create or replace function taskgrid_complete(
    p_ids uuid[], p_tokens uuid[], p_versions bigint[], p_codes text[], p_outputs text[], p_usages jsonb[],
    p_now timestamptz)
returns table (id uuid)
language plpgsql
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set jit = off
as $$
#variable_conflict use_column
begin
    perform set_config('taskgrid.counted', statement_timestamp()::text, true);
    return query
    with results as materialized (
        select r.id, r.token, r.version, r.code, r.output, r.usage
        from unnest(p_ids, p_tokens, p_versions, p_codes, p_outputs, p_usages)
             as r(id, token, version, code, output, usage)
    ),
    leases as (
        select l.id, l.worker_id, l.created_at
        from task_leases l
        where l.id = any(array(select distinct token from results))
    ),
    from_lease as (
        update tasks t
        set status = 'completed', attempt = t.attempt + 1, started_at = l.created_at, expires_at = null,
            code = r.code, output = r.output, usage = r.usage, error = null,
            completed_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
            transition_actor = l.worker_id, transition_reason = 'completed', version = t.version + 2
        from results r join leases l on l.id = r.token
        where t.id = r.id and t.status = 'pending' and t.version = r.version
        returning t.id, t.grid_id, t.kind, t.user_id, l.created_at as claimed_at
    ),
    from_running as (
        update tasks t
        set status = 'completed', code = r.code, output = r.output, usage = r.usage, error = null,
            completed_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = t.lease_owner, transition_reason = 'completed', version = t.version + 1
        from results r
        where t.id = r.id and t.lease_token = r.token and t.status = 'running'
          and r.id not in (select f.id from from_lease f)
        returning t.id, t.grid_id, t.kind, t.user_id
    ),
    -- Counted once, pending -> completed, started at the batch's first claim (a grid's started_at).
    counted_from_lease as (
        select taskgrid_count_moved('pending', 'completed', array_agg(c.grid_id), array_agg(c.kind),
                                    array_agg(c.user_id), coalesce(p_now, now()), min(c.claimed_at))
        from from_lease c
    ),
    counted_from_running as (
        select taskgrid_count_moved('running', 'completed', array_agg(c.grid_id), array_agg(c.kind),
                                    array_agg(c.user_id), coalesce(p_now, now()))
        from from_running c
    )
    select c.id from from_lease c cross join counted_from_lease
    union all
    select c.id from from_running c cross join counted_from_running;
end
$$;

-- A task as the API shows it: one a claim holds while leaving its row pending is shown as that claim
-- would once have written it (running, its attempt counted, started when claimed, no expiry), so
-- that reading a task never depends on whether its worker has written it running yet. Only a
-- pending task without a queue row looks through the leases (few rows, one array each).
create or replace view tasks_shown as
select t.id, t.user_id, t.grid_id, t.kind,
       case when h.claimed_at is null then t.status else 'running' end as status,
       t.priority, t.objective, t.language, t.input, t.code, t.output, t.error, t.usage,
       t.attempt + (h.claimed_at is not null)::integer as attempt,
       t.max_attempts, t.timeout, t.run_at,
       case when h.claimed_at is null then t.expires_at end as expires_at,
       t.created_at, coalesce(h.claimed_at, t.started_at) as started_at, t.completed_at, t.version
from tasks t
left join lateral (
    select e.created_at as claimed_at
    from task_lease_entries e
    where t.status = 'pending' and e.task_id = t.id and e.version = t.version
      and not exists (select 1 from task_queue q where q.task_id = t.id)
    limit 1
) h on true;
