-- People: staff signing in with Entra ID, SCIM-provisioned accounts and earners.
create table users (
    id                 uuid primary key default uuid_generate_v7(),
    username           text not null constraint users_username_not_blank check (length(btrim(username)) > 0),
    -- primary e-mail (SCIM `emails[primary]`); the full SCIM list lives in `emails`.
    email              text constraint users_email_format check (email is null or email ~ '^[^@\s]+@[^@\s]+$'),
    display_name       text,
    given_name         text,
    family_name        text,
    -- Entra object id as sent by SCIM `externalId`.
    external_id        text,
    -- OpenID Connect issuer and `sub` (or Entra `oid`) of the account's last login.
    identity_provider  text,
    subject            text,
    title              text,
    preferred_language text,
    locale             text,
    timezone           text,
    user_type          text,
    emails             jsonb not null default '[]' constraint users_emails_array check (jsonb_typeof(emails) = 'array'),
    phone_numbers      jsonb not null default '[]' constraint users_phone_numbers_array check (jsonb_typeof(phone_numbers) = 'array'),
    addresses          jsonb not null default '[]' constraint users_addresses_array check (jsonb_typeof(addresses) = 'array'),
    -- SCIM enterprise extension (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User).
    employee_number    text,
    department         text,
    organization       text,
    division           text,
    cost_center        text,
    manager_id         uuid references users (id) on delete set null,
    active             boolean not null default true,
    -- SCIM DELETE is soft: the row stays for audit and awarded credentials.
    deleted_at         timestamptz,
    last_login         timestamptz,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    -- optimistic concurrency and SCIM ETag (W/"<version>").
    version            integer not null default 1 constraint users_version_positive check (version > 0),
    constraint users_identity_pair check ((identity_provider is null) = (subject is null)),
    constraint users_not_own_manager check (manager_id is null or manager_id <> id),
    constraint users_deleted_inactive check (deleted_at is null or not active)
);

-- Case-insensitive (lower()) and unique among live accounts, so a SCIM re-create after a
-- soft delete succeeds. Queries compare with lower(..) = lower($n) to use these indexes.
create unique index users_username_key on users (lower(username)) where deleted_at is null;
create unique index users_email_key on users (lower(email)) where deleted_at is null;
create unique index users_external_id_key on users (external_id) where deleted_at is null;
-- The login identity never moves to another row, deleted or not.
create unique index users_identity_key on users (identity_provider, subject);
create index users_manager_idx on users (manager_id) where manager_id is not null;
create index users_created_idx on users (created_at desc);

create trigger users_set_updated_at before update on users
    for each row execute function set_updated_at();
