-- Verify-page results, kept for an hour so a plain form post can redirect to its report
-- (works without JavaScript and without Redis). Only the report is stored, never the upload.
create table verification_reports (
    id         uuid primary key,
    report     jsonb not null,
    created_at timestamptz not null default now()
);
create index verification_reports_created_idx on verification_reports (created_at);
