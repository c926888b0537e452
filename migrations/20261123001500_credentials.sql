-- Awarded credentials: the signed OpenBadgeCredential plus the columns we search and join on.
create table credentials (
    id                 uuid primary key default uuid_generate_v7(),
    achievement_id     uuid not null,
    issuer_id          uuid not null,
    -- the earner's account, when known; awards outlive accounts.
    recipient_user_id  uuid references users (id) on delete set null,
    recipient_name     text not null constraint credentials_recipient_name_not_blank check (length(btrim(recipient_name)) > 0),
    recipient_email    text not null constraint credentials_recipient_email_format check (recipient_email ~ '^[^@\s]+@[^@\s]+$'),
    -- OB 3.0 IdentityObject: `sha256$<hex>` of e-mail + salt.
    identity_hash      text not null constraint credentials_identity_hash_format check (identity_hash ~ '^sha256\$[0-9a-f]{64}$'),
    identity_salt      text not null,
    credential         jsonb not null constraint credentials_credential_object check (jsonb_typeof(credential) = 'object'),
    issued_at          timestamptz not null,
    valid_until        timestamptz,
    claimed_at         timestamptz,
    revoked_at         timestamptz,
    revocation_reason  text,
    status_list_id     uuid references status_lists (id) on delete restrict,
    status_list_index  integer constraint credentials_status_list_index_non_negative check (status_list_index >= 0),
    awarded_by         uuid references users (id) on delete set null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- lower-cased name and e-mail for case-insensitive substring search.
    recipient_search   text generated always as (lower(recipient_name || ' ' || recipient_email)) stored,
    -- the achievement must belong to the credential's issuer; awarded achievements cannot be deleted.
    constraint credentials_achievement_fkey foreign key (achievement_id, issuer_id)
        references achievements (id, issuer_id) on delete restrict,
    constraint credentials_issuer_fkey foreign key (issuer_id) references issuers (id) on delete restrict,
    constraint credentials_status_pair check ((status_list_id is null) = (status_list_index is null)),
    constraint credentials_reason_needs_revocation check (revocation_reason is null or revoked_at is not null),
    constraint credentials_valid_until_after_issue check (valid_until is null or valid_until > issued_at)
);
create unique index credentials_status_list_entry_key on credentials (status_list_id, status_list_index);
create index credentials_recipient_search_trgm on credentials using gin (recipient_search gin_trgm_ops);
create index credentials_issued_idx on credentials (issued_at desc, id desc);
create index credentials_achievement_idx on credentials (achievement_id, issued_at desc);
create index credentials_issuer_idx on credentials (issuer_id, issued_at desc);
create index credentials_recipient_user_idx on credentials (recipient_user_id, issued_at desc) where recipient_user_id is not null;
create index credentials_recipient_email_idx on credentials (lower(recipient_email), issued_at desc);
create index credentials_awarded_by_idx on credentials (awarded_by) where awarded_by is not null;
create trigger credentials_set_updated_at before update on credentials
    for each row execute function set_updated_at();
