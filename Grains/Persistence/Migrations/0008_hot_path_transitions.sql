-- The two statements every task goes through, the claim and the successful completion, record
-- their transition themselves: they set `claimable` and append the history entry in the UPDATE,
-- so the per-row PL/pgSQL trigger of 0001 (a function call per row, about a fifth of the
-- database time of a drain) no longer runs for them. Both are legal by construction: the claim
-- takes only claimable (pending) rows, and a completion must present the lease token, which only
-- a running task carries (tasks_lease_only_while_running). The check constraint
-- tasks_claimable_means_pending still guards `claimable`.
--
-- The trigger now fires only for a status change whose statement left the history as it was,
-- so every other statement (cancel, retry, expiry, reaping, failures, release) keeps going
-- through it unchanged, and a statement that forgets to record its change is still recorded.
-- Comparing the two histories is cheap here: they differ in length at the first token.
drop trigger if exists tasks_transition on tasks;
create trigger tasks_transition before update of status on tasks
    for each row when (old.status is distinct from new.status and old.history = new.history)
    execute function taskgrid_task_transition();

-- The claim of 0005, recording its transition itself.
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
          and (g.active_from is null or g.active_from <= coalesce(p_now, now()))
          and (g.retire_at is null or g.retire_at > coalesce(p_now, now()))
        order by g.priority desc, g.created_at, g.id
        limit p_max_lanes
        for no key update of g
    ),
    open_lanes as (
        select g.id, p_max as capacity
        from grids g
        where g.state = 'active' and g.pending_count > 0 and g.max_concurrency is null
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
end
$$;
