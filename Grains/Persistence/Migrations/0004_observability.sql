-- Observability: what the gateway's /v1/metrics and the dashboard read. Silos publish their
-- instruments here every few seconds (nothing is shared in memory between processes); the
-- tasks table gains no index that a completion touches.

-- Cluster-wide counters and histogram buckets: each silo incarnation upserts its cumulative
-- values (idempotent: a repeated publish cannot count twice); the maintenance duty folds
-- incarnations that are gone into the 'retired' source, so totals survive restarts and the
-- table stays as small as the number of live silos.
create table if not exists metric_totals (
    source      text not null,
    family      text not null,
    type        text not null check (type in ('counter', 'histogram')),
    help        text not null,
    sample      text not null,
    labels      text not null,
    value       double precision not null,
    updated_at  timestamptz not null,
    primary key (source, sample, labels)
);

-- Short history for the dashboard's charts: one row per silo per publish with what happened
-- in that interval (deltas) and a few gauges. Kept for minutes (TaskGrid:Observability:MetricsHistory).
create table if not exists metric_samples (
    silo_name          text not null,
    at                 timestamptz not null,
    interval_seconds   double precision not null,
    claimed            bigint not null,
    completed          bigint not null,
    failed             bigint not null,
    queue_depth        bigint not null,
    in_flight          integer not null,
    -- Non-cumulative counts per bucket of MetricsBuckets.Seconds (the last one is +Inf).
    claim_latency      bigint[] not null,
    run_duration       bigint[] not null,
    cpu_seconds        double precision not null,
    working_set_bytes  bigint not null,
    gc_heap_bytes      bigint not null,
    gc_collections     bigint not null,
    primary key (silo_name, at)
);
create index if not exists metric_samples_at on metric_samples (at);

-- The recent-failures feed. A row trigger with a WHEN clause writes it only for the rare
-- transitions to failed or expired; a successful completion never fires it, and no index on
-- tasks mentions status or completed_at, so completions stay HOT updates.
create table if not exists task_failures (
    id         bigint generated always as identity primary key,
    task_id    uuid not null,
    user_id    text not null,
    grid_id    uuid,
    kind       text not null,
    status     text not null check (status in ('failed', 'expired')),
    attempt    integer not null,
    error      text,
    objective  text,
    failed_at  timestamptz not null
);
create index if not exists task_failures_user on task_failures (user_id, id desc);
create index if not exists task_failures_at on task_failures (failed_at);

create or replace function taskgrid_task_failed() returns trigger language plpgsql as $$
begin
    insert into task_failures (task_id, user_id, grid_id, kind, status, attempt, error, objective, failed_at)
    values (new.id, new.user_id, new.grid_id, new.kind, new.status, new.attempt,
            left(new.error, 4000), left(new.objective, 300), new.updated_at);
    return null;
end
$$;

drop trigger if exists tasks_failed on tasks;
create trigger tasks_failed after update of status on tasks
    for each row when (new.status in ('failed', 'expired') and old.status is distinct from new.status)
    execute function taskgrid_task_failed();

-- A user's tasks outside grids, for their own task counts on the dashboard (their grids keep
-- counters). user_id and grid_id never change, so this index costs nothing after the insert.
create index if not exists tasks_user_single on tasks (user_id) where grid_id is null;
