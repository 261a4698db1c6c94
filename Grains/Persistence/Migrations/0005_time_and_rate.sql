-- Time and rate: delayed tasks, grid windows, recurring grids (templates), cluster-wide rate
-- limits, and the record of which silo last did each scheduler duty. Every statement tolerates
-- an earlier partial run.

-- Delayed tasks keep using tasks.run_at (the claim already skips tasks that are not due). This
-- index holds only pending tasks whose run_at lies after their creation (delayed submissions,
-- retries waiting out a backoff, released tasks): ordinary tasks are created due (run_at =
-- created_at) and never enter it, so the claim path and the insert path pay nothing for it, and
-- completions stay HOT (neither claimable nor run_at changes on completion). Silos read its first
-- entry to set a timer for the next due task.
create index if not exists tasks_delayed on tasks (run_at) where claimable and run_at > created_at;

-- Grid windows: before active_from the grid's tasks are not claimed; at retire_at the scheduler
-- expires its pending tasks and sets retired_at. Template runs carry their template and tick;
-- the unique key makes every tick create at most one grid, whichever silo tries.
alter table grids add column if not exists active_from timestamptz;
alter table grids add column if not exists retire_at timestamptz;
alter table grids add column if not exists retired_at timestamptz;
alter table grids add column if not exists template_id uuid;
alter table grids add column if not exists tick timestamptz;
create unique index if not exists grids_template_tick on grids (template_id, tick) where template_id is not null;
create index if not exists grids_opening on grids (active_from) where active_from is not null;
create index if not exists grids_retiring on grids (retire_at) where retire_at is not null;

create table if not exists grid_templates (
    id               uuid primary key,
    user_id          text not null,
    name             text not null,
    cron             text not null,
    time_zone        text not null,
    -- The SubmitTaskRequest list every run starts with, as the API's JSON.
    tasks            jsonb not null,
    priority         integer not null default 0,
    max_concurrency  integer check (max_concurrency > 0),
    max_attempts     integer not null check (max_attempts > 0),
    task_ttl         interval,
    missed_ticks     text not null check (missed_ticks in ('run_once', 'skip')),
    next_tick        timestamptz,
    last_tick        timestamptz,
    last_run_id      uuid,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    version          bigint not null default 1
);
create index if not exists grid_templates_user on grid_templates (user_id, id desc);
create index if not exists grid_templates_due on grid_templates (next_tick) where next_tick is not null;

-- Cluster-wide rate limits. A limiter allows requests_per_minute requests (and, when set,
-- tokens_per_minute tokens) in any window of window_length, scaled to the window. Every permit is
-- a row in rate_limit_grants (a sliding-window log): a permit is granted only while the grants of
-- the last window stay under the limit, so all silos together never exceed it. A 429 from the
-- provider multiplies the limits by throttle_factor until throttled_until.
create table if not exists rate_limiters (
    name                text primary key,
    requests_per_minute integer not null check (requests_per_minute > 0),
    tokens_per_minute   integer check (tokens_per_minute > 0),
    window_length       interval not null default interval '1 minute'
        check (window_length >= interval '1 second' and window_length <= interval '1 hour'),
    throttle_factor     double precision not null default 1 check (throttle_factor > 0 and throttle_factor <= 1),
    throttled_until     timestamptz,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    version             bigint not null default 1
);

create table if not exists rate_limit_grants (
    id          bigint generated always as identity primary key,
    limiter     text not null references rate_limiters (name) on delete cascade,
    granted_at  timestamptz not null,
    tokens      integer not null default 0
);
create index if not exists rate_limit_grants_window on rate_limit_grants (limiter, granted_at);

-- Takes one permit of limiter p_name for a request expected to use p_tokens tokens, or says how
-- long to wait before asking again. The limiter row is locked for the decision, so concurrent
-- acquirers (any silo) queue on it and each sees the others' grants. p_margin widens the window
-- counted, so that a permit used a little after it was granted still falls inside the window the
-- provider counts. A limiter that does not exist always grants (no limit configured).
create or replace function taskgrid_rate_acquire(p_name text, p_tokens integer, p_margin interval, p_now timestamptz)
returns table (granted boolean, grant_id bigint, retry_after interval)
language plpgsql as $$
declare
    l rate_limiters%rowtype;
    t timestamptz;
    win interval;
    factor double precision;
    max_requests bigint;
    max_tokens bigint;
    used_requests bigint;
    used_tokens bigint;
    oldest timestamptz;
    gid bigint;
begin
    select * into l from rate_limiters r where r.name = p_name for update;
    if not found then
        return query select true, null::bigint, null::interval;
        return;
    end if;
    -- The time after the lock was granted, not the transaction's start: an acquirer that queued on
    -- the row must count the window as it is now and stamp its grant with the real time.
    t := coalesce(p_now, clock_timestamp());
    win := l.window_length + p_margin;
    factor := case when l.throttled_until > t then l.throttle_factor else 1 end;
    max_requests := greatest(1, floor(l.requests_per_minute * factor * extract(epoch from l.window_length) / 60));
    max_tokens := case when l.tokens_per_minute is null then null
                       else greatest(1, floor(l.tokens_per_minute * factor * extract(epoch from l.window_length) / 60)) end;
    select count(*), coalesce(sum(g.tokens), 0), min(g.granted_at)
    into used_requests, used_tokens, oldest
    from rate_limit_grants g
    where g.limiter = p_name and g.granted_at > t - win;

    if used_requests < max_requests
       and (max_tokens is null or used_requests = 0 or used_tokens + p_tokens <= max_tokens) then
        insert into rate_limit_grants (limiter, granted_at, tokens) values (p_name, t, greatest(p_tokens, 0))
        returning id into gid;
        return query select true, gid, null::interval;
        return;
    end if;
    if used_requests >= max_requests then
        -- The grant whose ageing out brings the count under the limit.
        select g.granted_at into oldest
        from rate_limit_grants g
        where g.limiter = p_name and g.granted_at > t - win
        order by g.granted_at
        offset used_requests - max_requests
        limit 1;
    end if;
    return query select false, null::bigint, greatest(oldest + win - t, interval '1 millisecond');
end
$$;

-- Which silo last did each scheduler duty, and when: the duties themselves are guarded by
-- transaction-scoped advisory locks (like the maintenance duty); this row only shows who has it.
create table if not exists cluster_duties (
    name       text primary key,
    silo_name  text not null,
    ran_at     timestamptz not null
);

-- The claim, as in 0001, plus the grid window: a grid's tasks are claimed only from active_from
-- and before retire_at. The filter reads the grid row the lane lookup already reads, so it costs
-- nothing per task. Task run_at was already honoured (run_at <= now).
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
