-- Per-issuer staff roles: a department runs its own issuer without global admin rights.
-- A grant names a user or a (SCIM-provisioned) group; it reaches the issuer and every
-- department below it (`issuers.parent_id`).
create table issuer_staff (
    id          uuid primary key default uuid_generate_v7(),
    issuer_id   uuid not null references issuers (id) on delete cascade,
    role        text not null constraint issuer_staff_role_known check (role in ('owner', 'editor', 'awarder')),
    user_id     uuid references users (id) on delete cascade,
    group_id    uuid references groups (id) on delete cascade,
    granted_by  uuid references users (id) on delete set null,
    granted_at  timestamptz not null default now(),
    constraint issuer_staff_grantee_present check (num_nonnulls(user_id, group_id) = 1)
);
create unique index issuer_staff_user_key on issuer_staff (issuer_id, user_id, role) where user_id is not null;
create unique index issuer_staff_group_key on issuer_staff (issuer_id, group_id, role) where group_id is not null;
create index issuer_staff_user_idx on issuer_staff (user_id) where user_id is not null;
create index issuer_staff_group_idx on issuer_staff (group_id) where group_id is not null;
