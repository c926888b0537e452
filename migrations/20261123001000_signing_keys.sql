-- Issuer signing keys: public multikey in clear, secret key encrypted with a
-- key-encryption key (KEK) from configuration, identified by `kek_id` for rotation.
create table signing_keys (
    id                   uuid primary key default uuid_generate_v7(),
    issuer_id            uuid not null references issuers (id) on delete cascade,
    algorithm            text not null default 'Ed25519' constraint signing_keys_algorithm_known check (algorithm in ('Ed25519')),
    public_key_multibase text not null constraint signing_keys_public_key_format check (public_key_multibase ~ '^z[1-9A-HJ-NP-Za-km-z]+$'),
    encrypted_secret     bytea not null constraint signing_keys_encrypted_secret_not_empty check (length(encrypted_secret) > 0),
    nonce                bytea not null constraint signing_keys_nonce_length check (length(nonce) in (12, 24)),
    kek_id               text not null constraint signing_keys_kek_id_not_blank check (length(btrim(kek_id)) > 0),
    created_at           timestamptz not null default now(),
    retired_at           timestamptz,
    constraint signing_keys_retired_after_creation check (retired_at is null or retired_at >= created_at)
);
create unique index signing_keys_public_key_key on signing_keys (public_key_multibase);
-- at most one active key per issuer.
create unique index signing_keys_one_active_per_issuer on signing_keys (issuer_id) where retired_at is null;
create index signing_keys_issuer_idx on signing_keys (issuer_id, created_at desc);
create index signing_keys_kek_idx on signing_keys (kek_id);
