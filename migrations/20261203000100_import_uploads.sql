-- mongoexport files uploaded on the admin Import page, kept in PostgreSQL so that any worker
-- on any machine can run the import job; chunks of at most 1 MiB.
create table import_uploads (
    id         uuid primary key default uuid_generate_v7(),
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    total_bytes bigint not null default 0 constraint import_uploads_total_non_negative check (total_bytes >= 0)
);
create table import_upload_chunks (
    upload_id uuid not null references import_uploads (id) on delete cascade,
    file_name text not null,
    seq       integer not null constraint import_upload_chunks_seq_non_negative check (seq >= 0),
    data      bytea not null constraint import_upload_chunks_size check (octet_length(data) <= 1048576),
    primary key (upload_id, file_name, seq)
);
create index import_uploads_created_idx on import_uploads (created_at);
