-- A new task's row no longer carries its first history entry; it is read from the row's columns.
--
-- Every submitted task stored one entry at insert ({at, from: null, to: pending, attempt: 0, actor,
-- reason: submitted}): 154 of a no-op task's 336 bytes. The claim and the completion copy the
-- whole row each (an update writes a new version of the row, and WAL records most of it, since
-- the columns they change run from status, near the front, to version, the last), so that entry
-- was paid for twice more per task, in CPU, WAL and pages. Measured in SQL on this project's
-- 2-core machine, claims of 2,000 then their completions, committed, from a 100,000-task lane:
-- 50.8 ms against 53.9 ms a round (about 6 %), with the entry left out of the rows. In
-- 100,000-task benchmark drains the difference was within the run-to-run spread (52-54k tasks/s
-- either way); bulk submission through the API went from 28k to 32k tasks/s, and every task
-- kept after it finished is about 140 bytes smaller.
--
-- Now the submission's actor has a column of its own (submitted_by; the claim overwrites
-- transition_actor), a task inserted with it stores an empty history, and
-- taskgrid_task_history() starts an empty stored history with the entry the row's columns
-- describe (created_at, submitted_by), as it already adds the current attempt's claim and
-- completion (0012). The transition trigger writes the whole history down, entry included,
-- before the first change it records. Tasks stored before this migration keep their entry;
-- for them nothing changes.

alter table tasks add column if not exists submitted_by text;

-- What the row stores of its history, with the submission entry it leaves to its columns.
create or replace function taskgrid_stored_history(t tasks) returns jsonb
language sql immutable parallel safe as $$
    select case
        when t.submitted_by is not null and t.history = '[]'::jsonb then jsonb_build_array(jsonb_build_object(
            'at', t.created_at, 'from', null, 'to', 'pending', 'attempt', 0,
            'actor', t.submitted_by, 'reason', 'submitted'))
        else t.history
    end
$$;

-- 0012's whole history, over the stored history with its submission entry.
create or replace function taskgrid_task_history(t tasks) returns jsonb
language sql immutable parallel safe as $$
    select case
        when t.status not in ('running', 'completed') or taskgrid_stored_history(t) -> -1 ->> 'to' = t.status
            then taskgrid_stored_history(t)
        else taskgrid_stored_history(t)
             || case when taskgrid_stored_history(t) -> -1 ->> 'to' = 'running' then '[]'::jsonb
                     else jsonb_build_array(jsonb_build_object(
                         'at', t.started_at, 'from', 'pending', 'to', 'running', 'attempt', t.attempt,
                         'actor', t.transition_actor, 'reason', 'claimed')) end
             || case when t.status = 'completed' then jsonb_build_array(jsonb_build_object(
                         'at', t.completed_at, 'from', 'running', 'to', 'completed', 'attempt', t.attempt,
                         'actor', t.transition_actor, 'reason', 'completed'))
                     else '[]'::jsonb end
    end
$$;

-- 0012's transition trigger; a submission (inserted pending, with submitted_by) stores nothing.
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
    elsif new.submitted_by is not null and new.status = 'pending' and new.attempt = 0
          and new.transition_reason = 'submitted' and new.updated_at = new.created_at then
        new.history := '[]'::jsonb;
    else
        new.history := jsonb_build_array(jsonb_build_object(
            'at', new.updated_at, 'from', null, 'to', new.status, 'attempt', new.attempt,
            'actor', new.transition_actor, 'reason', new.transition_reason));
    end if;
    return new;
end
$$;

-- 0013's insert, now recording who submitted in submitted_by.
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
                       transition_actor, transition_reason, submitted_by)
    select t.id, t.user_id, t.grid_id, t.kind, 'pending', t.priority, t.objective, t.language, t.input,
           0, t.max_attempts, t.timeout, t.ttl, d.due, d.due + t.ttl,
           coalesce(p_now, now()), coalesce(p_now, now()), p_actor, 'submitted', p_actor
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
