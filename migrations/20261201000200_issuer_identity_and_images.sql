-- Issuer identity: each issuer's credential `issuer.id` is a did:key (default; it changes
-- with each signing key) or a did:web under this deployment's host (stable; its DID document
-- lists current and past keys). Other identifiers are OB 3.0 `IdentifierEntry` objects.
alter table issuers
    add column did_method text not null default 'key'
        constraint issuers_did_method_known check (did_method in ('key', 'web')),
    add column other_identifiers jsonb not null default '[]'
        constraint issuers_other_identifiers_array check (jsonb_typeof(other_identifiers) = 'array');
-- Name search in the admin list (case-insensitive substring).
create index issuers_name_trgm on issuers using gin (lower(name) gin_trgm_ops);

-- Uploaded images (issuer logos, badge artwork), content-addressed: stored once however
-- often they are uploaded, served at /images/{sha256}.{png|svg} with a long cache lifetime.
create table images (
    sha256      text primary key constraint images_sha256_format check (sha256 ~ '^[0-9a-f]{64}$'),
    media_type  text not null constraint images_media_type_known check (media_type in ('image/png', 'image/svg+xml')),
    bytes       bytea not null constraint images_bytes_not_empty check (length(bytes) > 0),
    created_by  uuid references users (id) on delete set null,
    created_at  timestamptz not null default now()
);

-- Achievements: drafts (the creation wizard saves each step) are not awardable; archived ones
-- are not awardable any more but their credentials stay valid. Names are unique per issuer
-- among live achievements.
alter table achievements
    add column status text not null default 'active'
        constraint achievements_status_known check (status in ('draft', 'active', 'archived')),
    add column archived_at timestamptz,
    add constraint achievements_archived_has_time check ((status = 'archived') = (archived_at is not null));
create unique index achievements_issuer_name_key on achievements (issuer_id, lower(name)) where status <> 'archived';
create index achievements_name_trgm on achievements using gin (lower(name) gin_trgm_ops);
-- A draft may still lack criteria (the wizard asks for them in its second step); an
-- awardable achievement may not.
alter table achievements drop constraint achievements_criteria_present;
alter table achievements add constraint achievements_criteria_present
    check (status = 'draft' or num_nonnulls(criteria_narrative, criteria_url) > 0);
-- Awards per achievement, kept by the awarding code in the award's transaction, so list
-- pages need not count a million credentials.
alter table achievements add column award_count integer not null default 0
    constraint achievements_award_count_non_negative check (award_count >= 0);
update achievements a set award_count = (select count(*) from credentials c where c.achievement_id = a.id);
