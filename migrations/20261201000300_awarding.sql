-- Awarding: suspension (a second status entry per credential), award details, idempotent
-- bulk awards and API calls, privacy on the public page.
alter table credentials
    add column suspended_at timestamptz,
    add column suspension_list_id uuid references status_lists (id) on delete restrict,
    add column suspension_list_index integer
        constraint credentials_suspension_list_index_non_negative check (suspension_list_index >= 0),
    add column details jsonb not null default '{}'
        constraint credentials_details_object check (jsonb_typeof(details) = 'object'),
    -- a retried bulk row or API call carries the same key, so it never awards twice.
    add column idempotency_key text,
    add column bulk_award_id uuid,
    -- the earner decides whether the public page shows the credential, and their name.
    add column visibility text not null default 'private'
        constraint credentials_visibility_known check (visibility in ('private', 'public')),
    add column hide_name boolean not null default false,
    add constraint credentials_suspension_pair check ((suspension_list_id is null) = (suspension_list_index is null)),
    add constraint credentials_suspended_not_revoked check (suspended_at is null or revoked_at is null);
create unique index credentials_idempotency_key on credentials (idempotency_key) where idempotency_key is not null;
create unique index credentials_suspension_entry_key on credentials (suspension_list_id, suspension_list_index)
    where suspension_list_id is not null;
create index credentials_bulk_idx on credentials (bulk_award_id) where bulk_award_id is not null;
-- "Unclaimed for N days" is a common filter; keep it cheap.
create index credentials_unclaimed_idx on credentials (issued_at desc) where claimed_at is null and revoked_at is null;

-- A bulk award: the validated rows of one uploaded CSV, then the job that issues them.
create table bulk_awards (
    id              uuid primary key default uuid_generate_v7(),
    achievement_id  uuid not null references achievements (id) on delete restrict,
    issuer_id       uuid not null references issuers (id) on delete restrict,
    file_name       text not null default '',
    status          text not null default 'validated'
        constraint bulk_awards_status_known check (status in ('validated', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
    total_rows      integer not null constraint bulk_awards_total_rows_non_negative check (total_rows >= 0),
    issued          integer not null default 0,
    skipped         integer not null default 0,
    failed          integer not null default 0,
    award_again     boolean not null default false,
    job_id          uuid references jobs (id) on delete set null,
    created_by      uuid references users (id) on delete set null,
    -- who confirmed it, for the audit rows the job writes on their behalf.
    created_by_label text not null default 'system',
    created_at      timestamptz not null default now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz not null default now()
);
create index bulk_awards_achievement_idx on bulk_awards (achievement_id, created_at desc);
create index bulk_awards_issuer_idx on bulk_awards (issuer_id, created_at desc);
create trigger bulk_awards_set_updated_at before update on bulk_awards
    for each row execute function set_updated_at();
alter table credentials add constraint credentials_bulk_award_fkey
    foreign key (bulk_award_id) references bulk_awards (id) on delete set null;

create table bulk_award_rows (
    bulk_award_id   uuid not null references bulk_awards (id) on delete cascade,
    row_number      integer not null,
    recipient_name  text not null,
    recipient_email text not null,
    details         jsonb not null default '{}',
    valid_until     timestamptz,
    idempotency_key text not null,
    credential_id   uuid references credentials (id) on delete set null,
    outcome         text constraint bulk_award_rows_outcome_known check (outcome in ('issued', 'skipped', 'failed')),
    error           text,
    primary key (bulk_award_id, row_number)
);
create index bulk_award_rows_pending_idx on bulk_award_rows (bulk_award_id, row_number) where outcome is null;

-- E-mail outbox: every message the product sends, queued in the award's transaction and
-- delivered by the workers (SMTP, or .eml files in development), retried with backoff.
create table emails (
    id             uuid primary key default uuid_generate_v7(),
    kind           text not null constraint emails_kind_known check (kind in ('award', 'claim_reminder', 'sign_in_link', 'verify_address')),
    credential_id  uuid references credentials (id) on delete cascade,
    recipient      text not null constraint emails_recipient_format check (recipient ~ '^[^@\s]+@[^@\s]+$'),
    subject        text not null,
    payload        jsonb not null default '{}',
    status         text not null default 'queued' constraint emails_status_known check (status in ('queued', 'sending', 'sent', 'failed')),
    attempts       integer not null default 0,
    max_attempts   integer not null default 6,
    last_error     text,
    run_after      timestamptz not null default now(),
    locked_until   timestamptz,
    message_id     text,
    created_by     uuid references users (id) on delete set null,
    created_at     timestamptz not null default now(),
    sent_at        timestamptz,
    updated_at     timestamptz not null default now()
);
create index emails_due_idx on emails (run_after) where status in ('queued', 'sending');
create index emails_credential_idx on emails (credential_id, created_at desc) where credential_id is not null;
create index emails_created_idx on emails (created_at desc);
create trigger emails_set_updated_at before update on emails
    for each row execute function set_updated_at();

-- Single-use claim links sent with award e-mails (the token is `<id>.<mac>`; only the id is stored).
create table claim_tokens (
    id             uuid primary key,
    credential_id  uuid not null references credentials (id) on delete cascade,
    expires_at     timestamptz not null,
    used_at        timestamptz,
    used_by        uuid references users (id) on delete set null,
    created_at     timestamptz not null default now()
);
create index claim_tokens_credential_idx on claim_tokens (credential_id);

-- Addresses an earner has proven to control (sign-in link, claim link, Entra sign-in with a
-- verified e-mail): badges sent to any of them are theirs.
create table user_emails (
    user_id     uuid not null references users (id) on delete cascade,
    email       text not null constraint user_emails_email_format check (email ~ '^[^@\s]+@[^@\s]+$'),
    verified_at timestamptz not null default now(),
    primary key (user_id, email)
);
create unique index user_emails_email_key on user_emails (lower(email));

-- One-time sign-in links for earners outside the tenant, and address verifications.
create table email_tokens (
    id          uuid primary key,
    purpose     text not null constraint email_tokens_purpose_known check (purpose in ('sign_in', 'add_address')),
    email       text not null,
    user_id     uuid references users (id) on delete cascade,
    next_path   text,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    created_at  timestamptz not null default now()
);

-- Deployment settings an admin changes at run time.
create table settings (
    key        text primary key,
    value      jsonb not null,
    updated_by uuid references users (id) on delete set null,
    updated_at timestamptz not null default now()
);
insert into settings (key, value) values ('default_visibility', '"private"') on conflict do nothing;

-- Jobs can be cancelled by an admin while queued or running.
create index jobs_status_idx on jobs (status, created_at desc);

-- Cancelling and retrying jobs is its own permission (admins).
insert into permissions (name, description) values
    ('manage_jobs', 'Retry and cancel background jobs')
on conflict (name) do nothing;
insert into role_permissions (role_id, permission)
select id, 'manage_jobs' from roles where name = 'admin'
on conflict do nothing;

-- A file that failed its check is kept with its report (nothing issued), so the upload page
-- can show every problem after a plain form post.
alter table bulk_awards drop constraint bulk_awards_status_known;
alter table bulk_awards add constraint bulk_awards_status_known
    check (status in ('invalid', 'validated', 'queued', 'running', 'succeeded', 'failed', 'cancelled'));
alter table bulk_awards add column errors jsonb not null default '[]',
    add column error_count integer not null default 0;
