-- The queue: pending tasks are found through a narrow table of their own, and the two updates
-- every task goes through (the claim and the completion) touch no index on tasks.
--
-- Until now the claim read pending tasks through tasks_claim, a partial index on `claimable`.
-- Flipping `claimable` made every claim a non-HOT update: a new entry in each of the table's
-- indexes (tasks_pkey, tasks_user, tasks_grid) for every task claimed, and the completions were
-- HOT only half the time, because the task row grew (history) and the page had no room left.
-- Measured in SQL on this project's 2-core machine, claims and completions of 1,000 in a loop: a
-- non-HOT update costs about twice a HOT one, and appending to the history in the row made both
-- statements about twice as slow again.
--
-- Now:
--   * task_queue holds one row per pending task: its lane (grid), priority, due time and expiry.
--     Triggers of its own keep it: a task that becomes pending is queued, one that stops being
--     pending is removed, except by the claim, which deletes the rows it takes itself. Every
--     writer of a queue row holds the lock of its task row (the triggers run inside the statement
--     that changed the task; the claim locks the task rows it takes, SKIP LOCKED) and took the
--     task row first, so the queue cannot disagree with the tasks once committed, and no two
--     writers wait on each other in opposite orders.
--   * tasks loses claimable and the three indexes on it; no index on tasks names a column that a
--     claim or a completion changes, and the table leaves half of each new page free
--     (fillfactor 50), because a claim of a whole batch updates every row of a page in one
--     transaction and needs room for a second copy of each.
--   * The claim and the completion no longer append to the history. The current attempt's claim
--     (started_at, attempt, transition_actor) and successful completion (completed_at) are read
--     from the row's own columns by taskgrid_task_history(); every other transition out of
--     running writes them down first (the transition trigger), so the stored history plus what
--     the row says is always the whole, legal history. task_events reads it that way.
--
-- Applied in one transaction under the migration lock; every statement tolerates a partial run.

create table if not exists task_queue (
    task_id    uuid primary key,
    grid_id    uuid,
    priority   integer not null,
    run_at     timestamptz not null,
    expires_at timestamptz,
    -- Due after the moment it was queued (a delayed submission, a retry's backoff): silos set a
    -- timer for the first such row (task_queue_delayed).
    delayed    boolean not null
);
-- The lanes, in claim order: per grid (null: tasks outside grids), then priority, due time, id.
create index if not exists task_queue_claim on task_queue (grid_id, priority desc, run_at, task_id);
create index if not exists task_queue_ttl on task_queue (expires_at) where expires_at is not null;
create index if not exists task_queue_delayed on task_queue (run_at) where delayed;
-- Rows come and go thousands of times a second; vacuum often so that claims do not wade through
-- dead index entries at the head of a lane, and keep the statistics of a table that is empty one
-- minute and holds a million rows the next current.
alter table task_queue set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                            autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000,
                            autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);

-- The backfill must not race writers still using the old functions (see 0009 for the DO).
do $$ begin lock table tasks in share mode; end $$;
insert into task_queue (task_id, grid_id, priority, run_at, expires_at, delayed)
select id, grid_id, priority, run_at, expires_at, run_at > created_at
from tasks
where status = 'pending'
on conflict (task_id) do nothing;

drop index if exists tasks_claim;
drop index if exists tasks_ttl;
drop index if exists tasks_delayed;
alter table tasks drop constraint if exists tasks_claimable_means_pending;
alter table tasks drop column if exists claimable;
alter table tasks set (fillfactor = 50);

-- The whole history of a task: what is stored, then the current attempt's claim and successful
-- completion when the row says they happened and they are not stored yet (the claim and the
-- completion leave them to the row's columns).
create or replace function taskgrid_task_history(t tasks) returns jsonb
language sql immutable parallel safe as $$
    select case
        when t.status not in ('running', 'completed') or t.history -> -1 ->> 'to' = t.status then t.history
        else t.history
             || case when t.history -> -1 ->> 'to' = 'running' then '[]'::jsonb
                     else jsonb_build_array(jsonb_build_object(
                         'at', t.started_at, 'from', 'pending', 'to', 'running', 'attempt', t.attempt,
                         'actor', t.transition_actor, 'reason', 'claimed')) end
             || case when t.status = 'completed' then jsonb_build_array(jsonb_build_object(
                         'at', t.completed_at, 'from', 'running', 'to', 'completed', 'attempt', t.attempt,
                         'actor', t.transition_actor, 'reason', 'completed'))
                     else '[]'::jsonb end
    end
$$;

create or replace view task_events as
select t.id as task_id,
       e.ordinality as id,
       (e.value ->> 'at')::timestamptz as at,
       e.value ->> 'from' as from_status,
       e.value ->> 'to' as to_status,
       (e.value ->> 'attempt')::integer as attempt,
       e.value ->> 'actor' as actor,
       e.value ->> 'reason' as reason
from tasks t
cross join lateral jsonb_array_elements(taskgrid_task_history(t)) with ordinality as e;

-- Every state change but the claim and the completion goes through this trigger: it refuses an
-- illegal move and appends the change to the history, after writing down what the row held
-- unwritten (a running task's claim).
create or replace function taskgrid_task_transition() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if not taskgrid_transition_allowed(old.status, new.status) then
            raise exception 'illegal task transition % -> % (task %)', old.status, new.status, new.id
                using errcode = 'check_violation';
        end if;
        new.history := taskgrid_task_history(old) || jsonb_build_object(
            'at', new.updated_at, 'from', old.status, 'to', new.status, 'attempt', new.attempt,
            'actor', new.transition_actor, 'reason', new.transition_reason);
    else
        new.history := jsonb_build_array(jsonb_build_object(
            'at', new.updated_at, 'from', null, 'to', new.status, 'attempt', new.attempt,
            'actor', new.transition_actor, 'reason', new.transition_reason));
    end if;
    return new;
end
$$;

-- pending -> running is only ever the claim, running -> completed only ever a completion; both
-- are legal by construction (the claim takes pending rows, a completion must present the lease
-- token only a running task carries).
drop trigger if exists tasks_transition on tasks;
create trigger tasks_transition before update of status on tasks
    for each row when (old.status is distinct from new.status
                       and not (old.status = 'pending' and new.status = 'running')
                       and not (old.status = 'running' and new.status = 'completed'))
    execute function taskgrid_task_transition();

-- Counting, in one place. taskgrid_count_moved() moves one batch of tasks from one status to
-- another in every counter: the grid's row (grids with a concurrency limit) or the calling
-- backend's grid_counts shard (grids without), task_counts and user_pending. Tasks that came back
-- to pending reopen their grids' lanes, and they, or a freed slot of a limited grid with work
-- waiting, wake idle claimers. Lock order, as in 0011: grid rows, then grid_counts, then
-- task_counts, then user_pending, each in key order.
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

    if slot_freed or p_to = 'pending' then
        perform pg_notify('taskgrid_tasks', '');
    end if;
end
$$;

-- The counters' statement trigger of 0011, now counting through taskgrid_count_moved, once per
-- kind of move in the statement. The claim and the completion count for themselves and are
-- skipped (taskgrid.counted, below); this trigger serves every other status change.
--
-- PL/pgSQL plans the join of old and new rows once per connection and keeps the plan (it has no
-- parameters), so a connection whose first status change moved one row would keep a nested loop
-- over the two transition tables and spend quadratic time on every later batch: 300 ms instead of
-- 20 ms for 1,000 tasks, and far worse for cancelling a large grid. Hash joins serve every size.
create or replace function taskgrid_tasks_updated() returns trigger language plpgsql
set enable_nestloop = off
set jit = off
as $$
declare
    move record;
    cancelled uuid[];
    cancelled_id uuid;
begin
    for move in
        select o.status as from_status, n.status as to_status, array_agg(n.grid_id) as grid_ids,
               array_agg(n.kind) as kinds, array_agg(n.user_id) as user_ids, max(n.updated_at) as at,
               array_agg(n.id) filter (where o.status = 'running' and n.status = 'cancelled') as cancelled
        from old_tasks o join new_tasks n on n.id = o.id
        where n.status <> o.status
        group by o.status, n.status
        order by o.status, n.status
    loop
        perform taskgrid_count_moved(move.from_status, move.to_status, move.grid_ids, move.kinds, move.user_ids, move.at);
        cancelled := cancelled || move.cancelled;
    end loop;

    -- A running attempt of a cancelled task is told to stop; its worker also finds out when
    -- its next lease renewal reports the task gone.
    if cancelled is not null then
        foreach cancelled_id in array cancelled loop
            perform pg_notify('taskgrid_cancel', cancelled_id::text);
        end loop;
    end if;
    return null;
end
$$;

-- The claim and the completion set taskgrid.counted to their own statement's start time and count
-- what they moved themselves; the statement trigger then does not run for them (its transition
-- tables, its join and its planning were half the database time of a claim of five). Any other
-- statement, later in the same transaction too, starts at another time and is counted as before.
drop trigger if exists tasks_updated on tasks;
create trigger tasks_updated after update on tasks
    referencing old table as old_tasks new table as new_tasks
    for each statement
    when (current_setting('taskgrid.counted', true) is distinct from statement_timestamp()::text)
    execute function taskgrid_tasks_updated();

-- The queue's own triggers, beside the counters' (0011), so that the hot path pays nothing for
-- them: new pending tasks are queued once per statement; a row trigger queues a task that comes
-- back to pending (with its new due time and expiry) and removes one that stops being pending
-- other than by a claim. Its WHEN clause is false for the claim and the completion, so they
-- never fire it; the paths that do (retries, requeues, cancels, expiry) are the rare ones.
create or replace function taskgrid_tasks_queue_inserted() returns trigger language plpgsql as $$
begin
    insert into task_queue (task_id, grid_id, priority, run_at, expires_at, delayed)
    select id, grid_id, priority, run_at, expires_at, run_at > created_at
    from new_tasks
    where status = 'pending';
    return null;
end
$$;

drop trigger if exists tasks_queue_inserted on tasks;
create trigger tasks_queue_inserted after insert on tasks
    referencing new table as new_tasks
    for each statement execute function taskgrid_tasks_queue_inserted();

create or replace function taskgrid_task_queue_moved() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and new.status = 'pending' then
        insert into task_queue (task_id, grid_id, priority, run_at, expires_at, delayed)
        values (new.id, new.grid_id, new.priority, new.run_at, new.expires_at, new.run_at > new.updated_at)
        on conflict (task_id) do update
        set grid_id = excluded.grid_id, priority = excluded.priority, run_at = excluded.run_at,
            expires_at = excluded.expires_at, delayed = excluded.delayed;
    else
        delete from task_queue where task_id = old.id;
    end if;
    return null;
end
$$;

drop trigger if exists tasks_queue_moved on tasks;
create trigger tasks_queue_moved after update of status on tasks
    for each row when (old.status is distinct from new.status
                       and (new.status = 'pending' or (old.status = 'pending' and new.status <> 'running')))
    execute function taskgrid_task_queue_moved();

-- Retention deletes finished tasks only; a pending one deleted anyhow leaves the queue too.
drop trigger if exists tasks_queue_deleted on tasks;
create trigger tasks_queue_deleted after delete on tasks
    for each row when (old.status = 'pending')
    execute function taskgrid_task_queue_moved();

-- The claim of 0011, reading lanes from task_queue. In each lane it walks the queue in claim
-- order and locks the task rows (FOR UPDATE OF t SKIP LOCKED: a task another claimer or a
-- cancel holds is passed over, never waited for), deletes the queue rows of what it picked and
-- updates those tasks. It records no history entry (see taskgrid_task_history).
--
-- Its plan is cached (generic) and made once per connection, from whatever the statistics said
-- then. A queue analyzed while nearly empty looks like a dozen rows, and the planner then reads a
-- whole lane (a bitmap scan), joins every task in it and sorts them to take the first ten: 60,000
-- buffer reads and 80 ms for a claim of ten with 20,000 queued, seen in a benchmark drain; or it
-- deletes the picked rows by reading the whole queue instead of by their ctids. The right plan
-- never changes (walk task_queue_claim in order, reach tasks by primary key, stop at the limit),
-- so the claim turns off the scans and the sort that would replace it. Turning them off makes the
-- planner's cost of any plan that still needs one (the sort of the few picked rows) enormous, and
-- above jit_above_cost PostgreSQL compiles the statement to machine code on every call: seconds of
-- CPU for a claim of two, seen in the tests (PostgreSQL's default is jit = on). The hot path never
-- gains from JIT, so it is off for the claim, the completion and the counting.
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
            from task_queue q join tasks t on t.id = q.task_id
            where q.grid_id = l.id
              and q.run_at <= coalesce(p_now, now())
              and (q.expires_at is null or q.expires_at > coalesce(p_now, now()))
              and t.status = 'pending'
            order by q.grid_id, q.priority desc, q.run_at, q.task_id
            limit l.capacity
            for update of t skip locked
        ) c
    ),
    single_candidates as (
        select q.task_id, q.ctid as queued, q.priority, q.run_at
        from task_queue q join tasks t on t.id = q.task_id
        where q.grid_id is null
          and q.run_at <= coalesce(p_now, now())
          and (q.expires_at is null or q.expires_at > coalesce(p_now, now()))
          and t.status = 'pending'
        order by q.grid_id, q.priority desc, q.run_at, q.task_id
        limit p_max
        for update of t skip locked
    ),
    picked as (
        select task_id, queued
        from (select * from lane_candidates union all select * from single_candidates) c
        order by priority desc, run_at, task_id
        limit p_max
    ),
    dequeued as (
        delete from task_queue q
        where q.ctid = any(array(select queued from picked))
    ),
    leased as (
        insert into task_leases (id, worker_id, expires_at, task_ids, created_at)
        select p_lease_id, p_worker, coalesce(p_now, now()) + p_lease, array_agg(task_id), coalesce(p_now, now())
        from picked
        having count(*) > 0
    ),
    claimed as (
        update tasks t
        set status = 'running', attempt = t.attempt + 1, expires_at = null,
            lease_owner = p_worker, lease_token = p_lease_id,
            started_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
            transition_actor = p_worker, transition_reason = 'claimed', version = t.version + 1
        from picked p
        where t.id = p.task_id
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

-- The successful completion, fenced by lease token (only a running task carries one). Like the
-- claim, it writes no history entry (taskgrid_task_history reads it from completed_at) and counts
-- what it moved itself. A function, so that its plan is cached: callers send no prepared
-- statements (DataSourceFactory).
create or replace function taskgrid_complete(
    p_ids uuid[], p_tokens uuid[], p_codes text[], p_outputs text[], p_usages jsonb[], p_now timestamptz)
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
    with completed as (
        update tasks t
        set status = 'completed', code = r.code, output = r.output, usage = r.usage, error = null,
            completed_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
            lease_owner = null, lease_token = null,
            transition_actor = t.lease_owner, transition_reason = 'completed', version = t.version + 1
        from unnest(p_ids, p_tokens, p_codes, p_outputs, p_usages) as r(id, token, code, output, usage)
        where t.id = r.id and t.lease_token = r.token
        returning t.id, t.grid_id, t.kind, t.user_id
    ),
    counted as (
        select taskgrid_count_moved('running', 'completed', array_agg(c.grid_id), array_agg(c.kind),
                                    array_agg(c.user_id), coalesce(p_now, now()))
        from completed c
    )
    select c.id from completed c cross join counted;
end
$$;
