-- Open Badges issuer profiles (OB 3.0 `Profile`), optionally part of a parent organisation.
create table issuers (
    id          uuid primary key default uuid_generate_v7(),
    name        text not null constraint issuers_name_not_blank check (length(btrim(name)) > 0),
    -- human-facing home page; the credential's `issuer.id` is the DID below.
    url         text constraint issuers_url_format check (url is null or url ~ '^https?://'),
    email       text constraint issuers_email_format check (email is null or email ~ '^[^@\s]+@[^@\s]+$'),
    description text,
    phone       text,
    -- OB 3.0 `Address` object.
    address     jsonb constraint issuers_address_object check (address is null or jsonb_typeof(address) = 'object'),
    -- image URL or `data:` URI.
    image       text,
    parent_id   uuid references issuers (id) on delete set null,
    -- did:key (or did:web) that controls this issuer's current signing key.
    did         text constraint issuers_did_format check (did is null or did ~ '^did:[a-z0-9]+:'),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    version     integer not null default 1 constraint issuers_version_positive check (version > 0),
    constraint issuers_not_own_parent check (parent_id is null or parent_id <> id)
);
create unique index issuers_did_key on issuers (did);
create index issuers_parent_idx on issuers (parent_id) where parent_id is not null;
create index issuers_name_idx on issuers (lower(name));
create trigger issuers_set_updated_at before update on issuers
    for each row execute function set_updated_at();
