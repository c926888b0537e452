-- Login session metadata; the session payload itself lives in Redis.
create table sessions (
    id           uuid primary key default uuid_generate_v7(),
    user_id      uuid not null references users (id) on delete cascade,
    -- SHA-256 of the Redis session key, so a database dump cannot hijack sessions.
    key_hash     bytea not null constraint sessions_key_hash_length check (length(key_hash) = 32),
    ip           inet,
    user_agent   text,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    revoked_at   timestamptz,
    constraint sessions_expiry_after_creation check (expires_at > created_at)
);

create unique index sessions_key_hash_key on sessions (key_hash);
create index sessions_user_idx on sessions (user_id, created_at desc);
create index sessions_expires_idx on sessions (expires_at) where revoked_at is null;
