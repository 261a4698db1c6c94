-- Users and API keys. Keys are random secrets stored only as SHA-256 hashes; a key is
-- shown once, when it is created.

create table if not exists users (
    id                 text primary key,
    name               text not null,
    role               text not null check (role in ('admin', 'user')),
    max_pending_tasks  integer check (max_pending_tasks > 0),
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    disabled_at        timestamptz,
    version            bigint not null default 1
);

create table if not exists api_keys (
    id            uuid primary key,
    user_id       text not null references users (id),
    name          text,
    prefix        text not null,
    hash          bytea not null,
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    version       bigint not null default 1,
    constraint api_keys_hash_unique unique (hash)
);
create index if not exists api_keys_user on api_keys (user_id, id desc);

-- The per-user cap on pending tasks counts this index's entries for one user, stopping at
-- the cap; it holds only pending rows.
create index if not exists tasks_user_pending on tasks (user_id) where claimable;
