-- SCIM groups, their members, and which roles a group confers.
create table groups (
    id           uuid primary key default uuid_generate_v7(),
    display_name text not null constraint groups_display_name_not_blank check (length(btrim(display_name)) > 0),
    -- Entra group object id as sent by SCIM `externalId`.
    external_id  text,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    version      integer not null default 1 constraint groups_version_positive check (version > 0)
);
create unique index groups_display_name_key on groups (lower(display_name));
create unique index groups_external_id_key on groups (external_id);
create trigger groups_set_updated_at before update on groups
    for each row execute function set_updated_at();

create table group_members (
    group_id  uuid not null references groups (id) on delete cascade,
    user_id   uuid not null references users (id) on delete cascade,
    added_at  timestamptz not null default now(),
    primary key (group_id, user_id)
);
create index group_members_user_idx on group_members (user_id);

-- A mapping names a SCIM group (`group_id`), or a value from the ID token's `groups`
-- (Entra group object id) or `roles` (app-role value) claim (`claim_value`), so groups
-- that are never provisioned over SCIM still confer roles. A SCIM group whose
-- `external_id` equals a mapping's `claim_value` also confers that role.
create table group_roles (
    id          uuid primary key default uuid_generate_v7(),
    group_id    uuid references groups (id) on delete cascade,
    claim_value text constraint group_roles_claim_value_not_blank check (claim_value is null or length(btrim(claim_value)) > 0),
    role_id     uuid not null references roles (id) on delete cascade,
    created_at  timestamptz not null default now(),
    constraint group_roles_source_present check (num_nonnulls(group_id, claim_value) = 1)
);
create unique index group_roles_group_role_key on group_roles (group_id, role_id) where group_id is not null;
create unique index group_roles_claim_role_key on group_roles (claim_value, role_id) where claim_value is not null;
create index group_roles_role_idx on group_roles (role_id);
