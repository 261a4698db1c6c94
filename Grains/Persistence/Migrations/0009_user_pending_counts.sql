-- Each user's pending tasks, counted as they change instead of on every submission.
--
-- The per-user pending cap used to count the user's pending tasks (through tasks_user_pending) on
-- every submission, up to the cap: 27 ms per submission with 100,000 tasks waiting, 270 ms with a
-- million, paid by every single-task submit of a user with a big backlog. The counts now live in
-- user_pending, kept by the tasks statement triggers in the same transaction as each change, and
-- sharded like task_counts (each backend adds to its own shard, readers sum), so that concurrent
-- submitters and claimers do not queue on one row. Completions move no task into or out of
-- pending and never touch it. The index the old count used is dropped: inserts write one index
-- entry fewer.
create table if not exists user_pending (
    shard    smallint not null,
    user_id  text not null,
    count    bigint not null default 0,
    primary key (shard, user_id)
);

-- The trigger functions of 0001, each also keeping user_pending.
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

create or replace function taskgrid_tasks_deleted() returns trigger language plpgsql as $$
begin
    insert into task_counts (shard, kind, status, count)
    select pg_backend_pid() % 16, kind, status, -count(*)
    from old_tasks
    group by kind, status
    order by kind, status
    on conflict (shard, kind, status) do update set count = task_counts.count + excluded.count;
    insert into user_pending (shard, user_id, count)
    select pg_backend_pid() % 16, user_id, -count(*)
    from old_tasks
    where status = 'pending'
    group by user_id
    order by user_id
    on conflict (shard, user_id) do update set count = user_pending.count + excluded.count;
    return null;
end
$$;

-- Counting the existing pending tasks must not race with writers still using the old functions:
-- the share lock lets readers on but holds writers until this migration's transaction commits
-- (inside DO, because a bare LOCK is refused when the script runs outside a transaction block).
do $$ begin lock table tasks in share mode; end $$;
delete from user_pending;
insert into user_pending (shard, user_id, count)
select 0, user_id, count(*) from tasks where claimable group by user_id;

drop index if exists tasks_user_pending;
