-- Artifacts (files stored by content), the files tasks write under out/, and the lines tasks
-- print. Applied inside one transaction under the migration advisory lock; every statement
-- tolerates an earlier partial run.

-- One row per distinct content, whichever owners hold it: the same bytes are stored once.
-- The bytes live in the configured store under (store, key); with the default PostgreSQL
-- store, in artifact_chunks. Rows are only ever added or removed under a lock on this row
-- (see ArtifactQueries), so "no artifact refers to it any more" is decided without races.
create table if not exists artifact_blobs (
    sha256      bytea primary key check (length(sha256) = 32),
    size        bigint not null check (size >= 0),
    store       text not null,
    key         text not null,
    created_at  timestamptz not null,
    constraint artifact_blobs_store_key unique (store, key)
);

-- The PostgreSQL store's bytes: fixed-size chunks (bytea, not large objects: they replicate,
-- dump and delete like any row). Chunks are written one statement each, so an upload never
-- holds a transaction open; a key without an artifact_blobs row is an upload in progress or
-- one that was abandoned, which retention removes once it is old.
create table if not exists artifact_chunks (
    key         uuid not null,
    seq         integer not null check (seq >= 0),
    data        bytea not null,
    written_at  timestamptz not null,
    constraint artifact_chunks_pkey primary key (key, seq)
);
-- Files are often compressed already: store chunks out of line without trying to compress.
alter table artifact_chunks alter column data set storage external;
create index if not exists artifact_chunks_written on artifact_chunks using brin (written_at);

-- An owner's artifact: one per owner and content, so uploading the same bytes twice answers
-- the same id. Another owner with the same bytes has a row (and id) of their own.
create table if not exists artifacts (
    id            uuid primary key,
    user_id       text not null,
    sha256        bytea not null references artifact_blobs (sha256),
    name          text not null,
    size          bigint not null check (size >= 0),
    content_type  text,
    -- The owner uploaded it; false for a file only tasks wrote (retention may remove those).
    uploaded      boolean not null,
    -- The task that first wrote it under out/, if any.
    task_id       uuid,
    created_at    timestamptz not null,
    constraint artifacts_owner_content unique (user_id, sha256)
);
create index if not exists artifacts_user on artifacts (user_id, id desc);
create index if not exists artifacts_sha256 on artifacts (sha256);
create index if not exists artifacts_task_outputs on artifacts (created_at) where not uploaded;

-- The files a task wrote under out/, by path. A retried task's newer file replaces the link.
create table if not exists task_artifacts (
    task_id      uuid not null,
    path         text not null,
    artifact_id  uuid not null references artifacts (id),
    created_at   timestamptz not null,
    constraint task_artifacts_pkey primary key (task_id, path)
);
create index if not exists task_artifacts_artifact on task_artifacts (artifact_id);

-- Deleting an artifact is refused while a pending or running script task runs it. The index
-- holds only tasks that run an artifact, newest first (the live ones are usually recent); it
-- names neither status nor any column a state change writes, so completing a task stays a HOT
-- update (see the tasks table in 0001).
create index if not exists tasks_script_artifact on tasks (((input -> 'script' ->> 'artifact_id')), id desc)
    where (input -> 'script' ->> 'artifact_id') is not null;

-- The smallest UUIDv7 of an instant: task ids are UUIDv7, so "created before T" is a range of
-- the primary key, and retention needs no index on a column that completion writes.
create or replace function taskgrid_uuid7_floor(at timestamptz) returns uuid
language sql stable parallel safe as $$
    select (lpad(to_hex(floor(extract(epoch from at) * 1000)::bigint), 12, '0')
            || '7000' || '8000' || '000000000000')::uuid
$$;

-- Every line a task printed and every message its executor wrote about it. Written in
-- batches by each silo's log writer; id orders a task's lines and pages through them.
-- No foreign key to tasks, for the same reason as task_events: retention deletes a task's
-- lines with the task.
create table if not exists task_logs (
    task_id  uuid not null,
    id       bigint generated always as identity,
    attempt  integer not null,
    at       timestamptz not null,
    stream   text not null check (stream in ('stdout', 'stderr', 'system')),
    line     text not null,
    constraint task_logs_pkey primary key (task_id, id)
);
-- Lines arrive in time order, so a BRIN index finds the old ones for retention at almost no
-- cost to the writers.
create index if not exists task_logs_at on task_logs using brin (at);
