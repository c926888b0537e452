-- Integrations calling the REST API with OAuth client credentials.
create table oauth_client_apps (
    -- also the OAuth `client_id` shown to the integrator.
    id             uuid primary key default uuid_generate_v7(),
    -- an app belongs to a person; remove or transfer the apps before deleting the owner.
    owner_id       uuid not null references users (id) on delete restrict,
    name           text not null constraint oauth_client_apps_name_not_blank check (length(btrim(name)) > 0),
    description    text not null default '',
    -- SHA-256 of the high-entropy client secret; `secret_prefix` identifies it in listings.
    secret_hash    bytea not null constraint oauth_client_apps_secret_hash_length check (length(secret_hash) = 32),
    secret_prefix  text not null,
    redirect_uris  text[] not null default '{}',
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    last_used_at   timestamptz,
    revoked_at     timestamptz,
    version        integer not null default 1 constraint oauth_client_apps_version_positive check (version > 0)
);
create unique index oauth_client_apps_secret_hash_key on oauth_client_apps (secret_hash);
create index oauth_client_apps_owner_idx on oauth_client_apps (owner_id);
create trigger oauth_client_apps_set_updated_at before update on oauth_client_apps
    for each row execute function set_updated_at();

-- Roles an integration defines for its own users.
create table client_roles (
    id          uuid primary key default uuid_generate_v7(),
    client_id   uuid not null references oauth_client_apps (id) on delete cascade,
    name        text not null constraint client_roles_name_not_blank check (length(btrim(name)) > 0),
    description text not null default '',
    created_at  timestamptz not null default now()
);
create unique index client_roles_client_name_key on client_roles (client_id, lower(name));

create table client_role_users (
    client_role_id uuid not null references client_roles (id) on delete cascade,
    user_id        uuid not null references users (id) on delete cascade,
    granted_at     timestamptz not null default now(),
    primary key (client_role_id, user_id)
);
create index client_role_users_user_idx on client_role_users (user_id);
