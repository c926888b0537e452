-- The REST API: what a client app's roles allow, secret rotation with an overlap, and stored
-- answers to POSTs carrying an `Idempotency-Key`.

-- A client role is a set of permission names (`permissions.name`), reaching every issuer
-- (`issuer_ids` null) or only the listed ones and their departments.
alter table client_roles add column permissions text[] not null default '{}';
alter table client_roles add column issuer_ids uuid[];
alter table client_roles add constraint client_roles_issuer_ids_not_empty check (
    issuer_ids is null or cardinality(issuer_ids) > 0);

-- Rotating a secret keeps the previous one valid until `previous_secret_expires_at`, so an
-- integration can be redeployed with the new one without an outage.
alter table oauth_client_apps add column previous_secret_hash bytea
    constraint oauth_client_apps_previous_secret_hash_length check (
        previous_secret_hash is null or length(previous_secret_hash) = 32);
alter table oauth_client_apps add column previous_secret_expires_at timestamptz;
alter table oauth_client_apps add constraint oauth_client_apps_previous_secret_pair check (
    (previous_secret_hash is null) = (previous_secret_expires_at is null));
create index oauth_client_apps_previous_secret_hash_idx on oauth_client_apps (previous_secret_hash)
    where previous_secret_hash is not null;

-- One row per (client, Idempotency-Key): the request's fingerprint and, once answered, the
-- answer. `status` is null while the first request is still running. Rows live 24 hours.
create table api_idempotency (
    client_id    uuid not null references oauth_client_apps (id) on delete cascade,
    key          text not null constraint api_idempotency_key_length check (length(key) between 1 and 255),
    fingerprint  bytea not null constraint api_idempotency_fingerprint_length check (length(fingerprint) = 32),
    status       smallint constraint api_idempotency_status_http check (status between 100 and 599),
    content_type text,
    body         bytea,
    created_at   timestamptz not null default now(),
    primary key (client_id, key)
);
create index api_idempotency_created_idx on api_idempotency (created_at);
