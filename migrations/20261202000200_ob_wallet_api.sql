-- The 1EdTech Open Badges 3.0 API for wallets and backpacks: clients registered dynamically
-- (RFC 7591), one-time codes of the authorization code flow with PKCE, refresh tokens, and the
-- credentials a wallet upserted into an earner's account. Secrets, codes and tokens are stored
-- as SHA-256 only.
create table ob_clients (
    id            uuid primary key default uuid_generate_v7(),
    client_id     text not null constraint ob_clients_client_id_key unique,
    secret_hash   bytea not null constraint ob_clients_secret_hash_length check (length(secret_hash) = 32),
    client_name   text not null constraint ob_clients_name_not_blank check (length(btrim(client_name)) > 0),
    -- the registration request's metadata (client_uri, logo_uri, tos_uri, policy_uri, software_*).
    metadata      jsonb not null constraint ob_clients_metadata_object check (jsonb_typeof(metadata) = 'object'),
    redirect_uris text[] not null constraint ob_clients_redirect_uris_present check (cardinality(redirect_uris) > 0),
    scope         text not null,
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz
);

create table ob_authorization_codes (
    code_hash      bytea primary key constraint ob_authorization_codes_hash_length check (length(code_hash) = 32),
    client_id      uuid not null references ob_clients (id) on delete cascade,
    user_id        uuid not null references users (id) on delete cascade,
    redirect_uri   text not null,
    scope          text not null,
    -- PKCE S256 challenge (RFC 7636): base64url of SHA-256 of the verifier.
    code_challenge text not null,
    expires_at     timestamptz not null,
    used_at        timestamptz,
    created_at     timestamptz not null default now()
);
create index ob_authorization_codes_expires_idx on ob_authorization_codes (expires_at);

create table ob_refresh_tokens (
    token_hash bytea primary key constraint ob_refresh_tokens_hash_length check (length(token_hash) = 32),
    client_id  uuid not null references ob_clients (id) on delete cascade,
    user_id    uuid not null references users (id) on delete cascade,
    scope      text not null,
    expires_at timestamptz not null,
    used_at    timestamptz,
    created_at timestamptz not null default now()
);
create index ob_refresh_tokens_user_idx on ob_refresh_tokens (user_id);

-- Credentials a wallet put into the earner's account (upsertCredential), kept byte for byte.
create table earner_credentials (
    user_id       uuid not null references users (id) on delete cascade,
    credential_id text not null constraint earner_credentials_id_length check (length(credential_id) between 1 and 2048),
    credential    jsonb not null constraint earner_credentials_object check (jsonb_typeof(credential) = 'object'),
    source        text not null,
    client_id     uuid references ob_clients (id) on delete set null,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    primary key (user_id, credential_id)
);
