-- Role-based access control: permissions are fixed by code, roles group them.
create table permissions (
    name        text primary key constraint permissions_name_format check (name ~ '^[a-z][a-z_]*$'),
    description text not null
);

create table roles (
    id          uuid primary key default uuid_generate_v7(),
    name        text not null constraint roles_name_format check (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
    description text not null default '',
    -- built-in roles are created by migration and cannot be renamed or deleted.
    built_in    boolean not null default false,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    version     integer not null default 1 constraint roles_version_positive check (version > 0)
);
create unique index roles_name_key on roles (lower(name));
create trigger roles_set_updated_at before update on roles
    for each row execute function set_updated_at();

create table role_permissions (
    role_id    uuid not null references roles (id) on delete cascade,
    permission text not null references permissions (name) on delete cascade on update cascade,
    primary key (role_id, permission)
);
create index role_permissions_permission_idx on role_permissions (permission);

create table user_roles (
    user_id    uuid not null references users (id) on delete cascade,
    role_id    uuid not null references roles (id) on delete cascade,
    granted_by uuid references users (id) on delete set null,
    granted_at timestamptz not null default now(),
    primary key (user_id, role_id)
);
create index user_roles_role_idx on user_roles (role_id);
