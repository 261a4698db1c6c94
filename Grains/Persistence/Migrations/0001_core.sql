-- TaskGrid core schema: membership (silos, workers), grids, tasks and their event history.
-- Applied inside one transaction under the migration advisory lock; every statement
-- tolerates an earlier partial run.

create table if not exists silos (
    name          text primary key,
    host          text not null,
    pid           integer not null,
    incarnation   uuid not null,
    state         text not null check (state in ('active', 'draining', 'stopped', 'dead')),
    started_at    timestamptz not null,
    heartbeat_at  timestamptz not null,
    stopped_at    timestamptz,
    version       bigint not null default 1
);

create table if not exists workers (
    id              text primary key,
    silo_name       text not null references silos (name) on delete cascade,
    started_at      timestamptz not null,
    heartbeat_at    timestamptz not null,
    in_flight       integer not null default 0,
    claimed_total   bigint not null default 0,
    completed_total bigint not null default 0,
    failed_total    bigint not null default 0,
    version         bigint not null default 1
);
create index if not exists workers_silo on workers (silo_name);

create table if not exists grids (
    id               uuid primary key,
    user_id          text not null,
    name             text not null,
    state            text not null check (state in ('active', 'paused', 'cancelled')),
    priority         integer not null default 0,
    max_concurrency  integer check (max_concurrency > 0),
    max_attempts     integer not null check (max_attempts > 0),
    task_ttl         interval,
    -- Task counts per status, kept by the tasks triggers below in the same transaction as
    -- the change, so reading a grid's progress never scans its tasks.
    pending_count    integer not null default 0,
    running_count    integer not null default 0,
    completed_count  integer not null default 0,
    failed_count     integer not null default 0,
    cancelled_count  integer not null default 0,
    expired_count    integer not null default 0,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    version          bigint not null default 1
);
create index if not exists grids_user on grids (user_id, id desc);
-- The claim path's lane lookup: active grids that have work waiting.
create index if not exists grids_lanes on grids (priority desc, created_at, id)
    where state = 'active' and pending_count > 0;

-- Tasks are updated a few times each in their life, thousands a second. Every index here
-- leaves `status` out (even from predicates), so that completing, failing or retrying a task
-- is a HOT update (no index entry written) when its page has room (fillfactor 90). The claim
-- path instead uses `claimable` (true exactly while pending): a claim is the one update per
-- attempt that touches indexes.
create table if not exists tasks (
    id                uuid primary key,
    user_id           text not null,
    grid_id           uuid references grids (id),
    kind              text not null,
    status            text not null
        check (status in ('pending', 'running', 'completed', 'failed', 'cancelled', 'expired')),
    claimable         boolean not null default true,
    priority          integer not null default 0,
    objective         text,
    language          text,
    input             jsonb,
    code              text,
    output            text,
    error             text,
    usage             jsonb,
    attempt           integer not null default 0 check (attempt >= 0),
    max_attempts      integer not null check (max_attempts > 0),
    timeout           interval,
    ttl               interval,
    run_at            timestamptz not null,
    expires_at        timestamptz,
    -- The lease of the running attempt: its worker and the id of the task_leases row (the
    -- claim batch) it belongs to. Acknowledgements must present this token.
    lease_owner       text,
    lease_token       uuid,
    created_at        timestamptz not null,
    started_at        timestamptz,
    completed_at      timestamptz,
    updated_at        timestamptz not null,
    -- Who makes the next state change and why; the history trigger records them.
    transition_actor  text,
    transition_reason text,
    -- Every state change of the task, oldest first: {at, from, to, attempt, actor, reason}.
    -- Kept in the row so that recording a transition costs no extra row or index entry.
    history           jsonb not null default '[]',
    version           bigint not null default 1,
    constraint tasks_claimable_means_pending check (claimable = (status = 'pending')),
    constraint tasks_lease_only_while_running check ((status = 'running') = (lease_token is not null))
) with (fillfactor = 90);
-- Listing: newest first per owner and per grid (ids are UUIDv7, so id order is time order).
create index if not exists tasks_user on tasks (user_id, id desc);
create index if not exists tasks_grid on tasks (grid_id, id desc) where grid_id is not null;
-- The claim path: one partial index serves both the per-grid lanes and ungridded tasks
-- (grid_id is null), already in claim order. It holds only claimable rows, so it stays small
-- however many finished tasks the table keeps.
create index if not exists tasks_claim on tasks (grid_id, priority desc, run_at, id) where claimable;
create index if not exists tasks_ttl on tasks (expires_at) where claimable and expires_at is not null;

-- One row per claimed batch: the lease that the batch's tasks carry as lease_token. Renewing
-- a worker's leases updates one row per batch, not one per task; a lease that lapses (or whose
-- worker's silo died) sends its tasks that still carry it back to pending.
create table if not exists task_leases (
    id          uuid primary key,
    worker_id   text not null,
    expires_at  timestamptz not null,
    task_ids    uuid[] not null,
    created_at  timestamptz not null
);
create index if not exists task_leases_expiry on task_leases (expires_at);
create index if not exists task_leases_worker on task_leases (worker_id);

-- How many tasks there are per kind and status, for metrics and dashboards, without counting
-- the tasks table. Kept by the statement triggers below. Each backend adds its deltas to its
-- own shard (pg_backend_pid() % 16), so concurrent claimers and completers do not queue on one
-- row; readers sum the shards.
create table if not exists task_counts (
    shard   smallint not null,
    kind    text not null,
    status  text not null,
    count   bigint not null default 0,
    primary key (shard, kind, status)
);

-- The legal task state changes. Keep in step with TaskTransitions.cs (a test compares them).
create or replace function taskgrid_transition_allowed(from_status text, to_status text)
returns boolean language sql immutable parallel safe as $$
    select case from_status
        when 'pending'   then to_status in ('running', 'cancelled', 'expired')
        when 'running'   then to_status in ('completed', 'failed', 'cancelled', 'pending')
        when 'failed'    then to_status = 'pending'
        when 'cancelled' then to_status = 'pending'
        when 'expired'   then to_status = 'pending'
        else false
    end
$$;

-- Every state change goes through this trigger: it refuses an illegal move, appends the
-- change to the task's history, and keeps `claimable` in step with `status`. Statements only
-- set status and, optionally, transition_actor and transition_reason.
create or replace function taskgrid_task_transition() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if not taskgrid_transition_allowed(old.status, new.status) then
            raise exception 'illegal task transition % -> % (task %)', old.status, new.status, new.id
                using errcode = 'check_violation';
        end if;
        new.history := old.history || jsonb_build_object(
            'at', new.updated_at, 'from', old.status, 'to', new.status, 'attempt', new.attempt,
            'actor', new.transition_actor, 'reason', new.transition_reason);
    else
        new.history := jsonb_build_array(jsonb_build_object(
            'at', new.updated_at, 'from', null, 'to', new.status, 'attempt', new.attempt,
            'actor', new.transition_actor, 'reason', new.transition_reason));
    end if;
    new.claimable := new.status = 'pending';
    return new;
end
$$;

drop trigger if exists tasks_transition on tasks;
create trigger tasks_transition before update of status on tasks
    for each row when (old.status is distinct from new.status)
    execute function taskgrid_task_transition();
drop trigger if exists tasks_created on tasks;
create trigger tasks_created before insert on tasks
    for each row execute function taskgrid_task_transition();

-- The claim, as a function so that PostgreSQL caches its plan per connection: the statement
-- is long, planning it costs more than running it for a small batch, and client-side
-- preparation is off (see DataSourceFactory). See QueueQueries.TaskClaimAvailable for how it
-- finds work. Parameters: the worker, the batch size, how many grids (lanes) to look at, the
-- new lease's id and duration, and the clock (null for now()).
create or replace function taskgrid_claim(
    p_worker text, p_max integer, p_max_lanes integer, p_lease_id uuid, p_lease interval, p_now timestamptz)
returns table (id uuid, user_id text, grid_id uuid, kind text, objective text, language text, input jsonb,
               attempt integer, max_attempts integer, timeout interval, lease_token uuid,
               run_at timestamptz, started_at timestamptz)
language plpgsql as $$
#variable_conflict use_column
begin
    return query
    with limited_lanes as (
        select g.id, least(p_max, g.max_concurrency - g.running_count) as capacity
        from grids g
        where g.state = 'active' and g.pending_count > 0
          and g.max_concurrency is not null and g.running_count < g.max_concurrency
        order by g.priority desc, g.created_at, g.id
        limit p_max_lanes
        for no key update of g
    ),
    open_lanes as (
        select g.id, p_max as capacity
        from grids g
        where g.state = 'active' and g.pending_count > 0 and g.max_concurrency is null
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
    set status = 'running', attempt = t.attempt + 1, expires_at = null,
        lease_owner = p_worker, lease_token = p_lease_id,
        started_at = coalesce(p_now, now()), updated_at = coalesce(p_now, now()),
        transition_actor = p_worker, transition_reason = 'claimed', version = t.version + 1
    from picked p
    where t.id = p.id
    returning t.id, t.user_id, t.grid_id, t.kind, t.objective, t.language, t.input, t.attempt,
              t.max_attempts, t.timeout, t.lease_token, t.run_at, t.started_at;
end
$$;

-- The history as rows: one per state change, numbered from 1 within each task.
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
cross join lateral jsonb_array_elements(t.history) with ordinality as e;

-- Statement-level triggers see every row a statement changed at once (transition tables),
-- so a batch claim or completion of a thousand tasks moves each grid's counters with one
-- UPDATE, whichever query made the change, and announces work once.
create or replace function taskgrid_tasks_inserted() returns trigger language plpgsql as $$
begin
    update grids g
    set pending_count = g.pending_count + d.added,
        finished_at = null
    from (select grid_id, count(*)::integer as added
          from new_tasks where grid_id is not null
          group by grid_id order by grid_id) d
    where g.id = d.grid_id;

    insert into task_counts (shard, kind, status, count)
    select pg_backend_pid() % 16, kind, status, count(*)
    from new_tasks
    group by kind, status
    order by kind, status
    on conflict (shard, kind, status) do update set count = task_counts.count + excluded.count;

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
        select n.id, n.grid_id, n.kind, o.status as from_status, n.status as to_status, n.updated_at
        from old_tasks o join new_tasks n on n.id = o.id
        where n.status <> o.status
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
    deltas as (
        select grid_id, max(updated_at) as at,
               sum((to_status = 'pending')::integer   - (from_status = 'pending')::integer)   as pending,
               sum((to_status = 'running')::integer   - (from_status = 'running')::integer)   as running,
               sum((to_status = 'completed')::integer - (from_status = 'completed')::integer) as completed,
               sum((to_status = 'failed')::integer    - (from_status = 'failed')::integer)    as failed,
               sum((to_status = 'cancelled')::integer - (from_status = 'cancelled')::integer) as cancelled,
               sum((to_status = 'expired')::integer   - (from_status = 'expired')::integer)   as expired
        from moved
        where grid_id is not null
        group by grid_id
        order by grid_id
    ),
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
                                   then d.at end
        from deltas d
        where g.id = d.grid_id
        -- A finished task of a concurrency-limited grid opens a slot that claimers skipped.
        returning d.running < 0 and g.max_concurrency is not null and g.pending_count > 0 as freed
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

drop trigger if exists tasks_inserted on tasks;
create trigger tasks_inserted after insert on tasks
    referencing new table as new_tasks
    for each statement execute function taskgrid_tasks_inserted();

-- Deleting tasks (retention) takes them out of the counts; grid counters keep their history.
create or replace function taskgrid_tasks_deleted() returns trigger language plpgsql as $$
begin
    insert into task_counts (shard, kind, status, count)
    select pg_backend_pid() % 16, kind, status, -count(*)
    from old_tasks
    group by kind, status
    order by kind, status
    on conflict (shard, kind, status) do update set count = task_counts.count + excluded.count;
    return null;
end
$$;

drop trigger if exists tasks_deleted on tasks;
create trigger tasks_deleted after delete on tasks
    referencing old table as old_tasks
    for each statement execute function taskgrid_tasks_deleted();

drop trigger if exists tasks_updated on tasks;
create trigger tasks_updated after update on tasks
    referencing old table as old_tasks new table as new_tasks
    for each statement execute function taskgrid_tasks_updated();
