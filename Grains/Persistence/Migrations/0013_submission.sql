-- Submissions with cached plans, and a single submission in one round trip.
--
-- Inserting tasks was a long statement (thirteen unnested arrays) parsed and planned on every
-- call, because callers send no prepared statements (DataSourceFactory): 0.7 ms of a single
-- submission's 1.5 ms of work before its commit, seen in the statement log of an idle-cluster
-- pickup. The insert is now a function, planned once per connection.
--
-- The per-user pending cap is checked by taskgrid_check_pending_cap(), which raises TG429 past
-- the cap. A single submission sends its insert and this check in one implicit transaction, so
-- that a submission past the cap is rolled back without a BEGIN and a COMMIT of its own; grids
-- and bulk adds call it before inserting (no 10,000-row insert just to refuse it).

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
