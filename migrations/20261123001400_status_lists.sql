-- W3C Bitstring Status Lists per issuer and purpose. Bit i is the i-th bit counted from
-- the most significant bit of byte 0 (the spec's order), stored uncompressed.
create table status_lists (
    id          uuid primary key default uuid_generate_v7(),
    -- lists are referenced by credentials, so an issuer with lists cannot be deleted.
    issuer_id   uuid not null references issuers (id) on delete restrict,
    purpose     text not null constraint status_lists_purpose_known check (purpose in ('revocation', 'suspension')),
    bitstring   bytea not null,
    size        integer not null constraint status_lists_size_valid check (size > 0 and size % 8 = 0),
    next_index  integer not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    version     integer not null default 1 constraint status_lists_version_positive check (version > 0),
    constraint status_lists_bitstring_matches_size check (length(bitstring) * 8 = size),
    constraint status_lists_next_index_in_range check (next_index between 0 and size)
);
create index status_lists_issuer_purpose_idx on status_lists (issuer_id, purpose, created_at);
create trigger status_lists_set_updated_at before update on status_lists
    for each row execute function set_updated_at();
