-- Bearer tokens for the SCIM endpoint; only their SHA-256 is stored.
create table scim_tokens (
    id           uuid primary key default uuid_generate_v7(),
    name         text not null constraint scim_tokens_name_not_blank check (length(btrim(name)) > 0),
    token_hash   bytea not null constraint scim_tokens_token_hash_length check (length(token_hash) = 32),
    -- first characters of the token, shown in listings so admins can tell tokens apart.
    prefix       text not null,
    created_by   uuid references users (id) on delete set null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    constraint scim_tokens_expiry_after_creation check (expires_at is null or expires_at > created_at)
);
create unique index scim_tokens_token_hash_key on scim_tokens (token_hash);
create index scim_tokens_created_idx on scim_tokens (created_at desc);
