-- Background jobs (bulk awards, imports, e-mail), claimed with FOR UPDATE SKIP LOCKED.
create table jobs (
    id             uuid primary key default uuid_generate_v7(),
    kind           text not null constraint jobs_kind_format check (kind ~ '^[a-z][a-z_]*$'),
    payload        jsonb not null default '{}',
    status         text not null default 'queued' constraint jobs_status_known check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress_done  integer not null default 0,
    progress_total integer,
    error          text,
    attempts       integer not null default 0 constraint jobs_attempts_non_negative check (attempts >= 0),
    max_attempts   integer not null default 3 constraint jobs_max_attempts_positive check (max_attempts > 0),
    run_after      timestamptz not null default now(),
    locked_by      text,
    locked_until   timestamptz,
    created_by     uuid references users (id) on delete set null,
    created_at     timestamptz not null default now(),
    started_at     timestamptz,
    finished_at    timestamptz,
    updated_at     timestamptz not null default now(),
    constraint jobs_progress_valid check (progress_done >= 0 and (progress_total is null or (progress_total >= 0 and progress_done <= progress_total))),
    constraint jobs_lock_pair check ((locked_by is null) = (locked_until is null)),
    constraint jobs_finished_has_time check ((status in ('succeeded', 'failed', 'cancelled')) = (finished_at is not null))
);
create index jobs_queue_idx on jobs (run_after, created_at) where status = 'queued';
create index jobs_running_idx on jobs (locked_until) where status = 'running';
create index jobs_created_idx on jobs (created_at desc);
create index jobs_created_by_idx on jobs (created_by) where created_by is not null;
create trigger jobs_set_updated_at before update on jobs
    for each row execute function set_updated_at();
