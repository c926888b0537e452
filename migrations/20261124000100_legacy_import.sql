-- Migration from the MongoDB version (`badge-engine import-mongo`, engine::import).

-- Which imported row a MongoDB `_id` became. The UUID is a UUIDv5 of the ObjectId in a fixed
-- namespace per collection, so re-running an import computes the same ids and changes nothing.
create table legacy_ids (
    collection  text not null constraint legacy_ids_collection_not_blank check (length(btrim(collection)) > 0),
    object_id   text not null constraint legacy_ids_object_id_not_blank check (length(btrim(object_id)) > 0),
    id          uuid not null,
    imported_at timestamptz not null default now(),
    primary key (collection, object_id)
);
create index legacy_ids_id_idx on legacy_ids (id);

-- Fields of an imported document that have no column of their own, kept rather than dropped.
alter table users add column legacy jsonb constraint users_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table oauth_client_apps add column legacy jsonb constraint oauth_client_apps_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table client_roles add column legacy jsonb constraint client_roles_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table issuers add column legacy jsonb constraint issuers_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table achievements add column legacy jsonb constraint achievements_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table achievement_alignments add column legacy jsonb constraint achievement_alignments_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table achievement_result_descriptions add column legacy jsonb constraint achievement_result_descriptions_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table rubric_criterion_levels add column legacy jsonb constraint rubric_criterion_levels_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table credentials add column legacy jsonb constraint credentials_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');
alter table signing_keys add column legacy jsonb constraint signing_keys_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object');

-- Client apps keep the OAuth `client_id` integrators already have configured. New apps use
-- their row id (set by engine::client_app); imported apps keep the old system's `clientId`.
alter table oauth_client_apps add column client_id text;
update oauth_client_apps set client_id = id::text where client_id is null;
alter table oauth_client_apps alter column client_id set not null;
-- Rows written by SQL (fixtures, seed scripts) that do not name a client_id get the row id too.
create or replace function oauth_client_apps_default_client_id() returns trigger
language plpgsql as $$
begin
  new.client_id := coalesce(new.client_id, new.id::text);
  return new;
end;
$$;
create trigger oauth_client_apps_client_id before insert on oauth_client_apps
    for each row execute function oauth_client_apps_default_client_id();
alter table oauth_client_apps add constraint oauth_client_apps_client_id_not_blank check (length(btrim(client_id)) > 0);
create unique index oauth_client_apps_client_id_key on oauth_client_apps (client_id);
-- The old system's secret hash, in its own format (`bcrypt`: the `$2b$…` string; `sha256`:
-- 64 hex digits), so imported integrations authenticate with the secret they already hold.
-- An imported app has no SHA-256 `secret_hash` until its secret is rotated.
alter table oauth_client_apps add column legacy_secret_hash text;
alter table oauth_client_apps add column legacy_secret_algorithm text
    constraint oauth_client_apps_legacy_secret_algorithm_known check (legacy_secret_algorithm in ('bcrypt', 'sha256'));
alter table oauth_client_apps alter column secret_hash drop not null;
alter table oauth_client_apps add constraint oauth_client_apps_secret_present check (
    secret_hash is not null or legacy_secret_hash is not null);
alter table oauth_client_apps add constraint oauth_client_apps_legacy_secret_pair check (
    (legacy_secret_hash is null) = (legacy_secret_algorithm is null));

-- The exact JSON text of a credential signed elsewhere (imported), served as is: `credential`
-- is jsonb, which reorders keys and drops whitespace. lz4 keeps the second copy cheap.
alter table credentials add column credential_source text;
alter table credentials alter column credential_source set compression lz4;
alter table credentials add constraint credentials_source_not_blank check (
    credential_source is null or length(btrim(credential_source)) > 0);

-- Endorsements (OB 3.0 EndorsementCredential) of an issuer, an achievement or a credential,
-- signed by the endorser; kept byte for byte like imported credentials.
create table endorsements (
    id                 uuid primary key default uuid_generate_v7(),
    -- the endorser's profile, when it is one of our issuers.
    endorser_issuer_id uuid references issuers (id) on delete set null,
    issuer_id          uuid references issuers (id) on delete cascade,
    achievement_id     uuid references achievements (id) on delete cascade,
    credential_id      uuid references credentials (id) on delete cascade,
    credential         jsonb not null constraint endorsements_credential_object check (jsonb_typeof(credential) = 'object'),
    credential_source  text not null,
    issued_at          timestamptz,
    legacy             jsonb constraint endorsements_legacy_object check (legacy is null or jsonb_typeof(legacy) = 'object'),
    created_at         timestamptz not null default now(),
    constraint endorsements_subject_present check (num_nonnulls(issuer_id, achievement_id, credential_id) >= 1)
);
create index endorsements_issuer_idx on endorsements (issuer_id) where issuer_id is not null;
create index endorsements_achievement_idx on endorsements (achievement_id) where achievement_id is not null;
create index endorsements_credential_idx on endorsements (credential_id) where credential_id is not null;
create index endorsements_endorser_idx on endorsements (endorser_issuer_id) where endorser_issuer_id is not null;

-- Running an import is its own permission: it writes users, roles, apps, issuers and awards.
insert into permissions (name, description) values
    ('import_data', 'Import users, client apps, issuers, achievements and credentials from the MongoDB version')
on conflict (name) do nothing;
insert into role_permissions (role_id, permission)
select id, 'import_data' from roles where name = 'admin'
on conflict do nothing;
