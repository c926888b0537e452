-- Staging tables of `engine::import`: each collection is streamed in with COPY, checked with
-- set-based SQL (dangling references, duplicates) and merged into the real tables with
-- `on conflict do nothing`, all in one transaction per collection. Unlogged: their content
-- lives only for that transaction (each load starts with TRUNCATE), so WAL would be waste.
-- Every row records where its document is in the source file (line, byte offset and length)
-- so a rejected row can be reported with its raw record.

create unlogged table import_users (
    file_line         bigint not null,
    file_offset       bigint not null,
    file_len          integer not null,
    object_id         text not null,
    id                uuid not null,
    username          text not null,
    email             text,
    display_name      text,
    given_name        text,
    family_name       text,
    identity_provider text,
    subject           text,
    active            boolean not null,
    last_login        timestamptz,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    -- `providerRoles`, unnested into user_roles by the merge.
    roles             text[] not null,
    legacy            jsonb
);

create unlogged table import_accounts (
    file_line   bigint not null,
    file_offset bigint not null,
    file_len    integer not null,
    object_id   text not null,
    id          uuid not null,
    user_id     uuid not null,
    provider    text not null,
    subject     text not null,
    kind        text
);

create unlogged table import_client_apps (
    file_line               bigint not null,
    file_offset             bigint not null,
    file_len                integer not null,
    object_id               text not null,
    id                      uuid not null,
    owner_id                uuid not null,
    name                    text not null,
    client_id               text not null,
    legacy_secret_hash      text not null,
    legacy_secret_algorithm text not null,
    redirect_uris           text[] not null,
    created_at              timestamptz not null,
    legacy                  jsonb
);

create unlogged table import_client_roles (
    file_line     bigint not null,
    file_offset   bigint not null,
    file_len      integer not null,
    object_id     text not null,
    id            uuid not null,
    client_app_id uuid not null,
    name          text not null,
    description   text not null,
    -- `oauthUserIds`, unnested into client_role_users by the merge.
    user_ids      uuid[] not null,
    legacy        jsonb
);

create unlogged table import_issuers (
    file_line   bigint not null,
    file_offset bigint not null,
    file_len    integer not null,
    object_id   text not null,
    id          uuid not null,
    name        text not null,
    url         text,
    email       text,
    description text,
    phone       text,
    address     jsonb,
    image_id    uuid,
    parent_id   uuid,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    legacy      jsonb
);

create unlogged table import_achievements (
    file_line          bigint not null,
    file_offset        bigint not null,
    file_len           integer not null,
    object_id          text not null,
    id                 uuid not null,
    issuer_id          uuid not null,
    name               text not null,
    description        text not null,
    achievement_type   text,
    criteria_narrative text,
    criteria_url       text,
    image_id           uuid,
    -- `alignmentIds` in order: their position is the alignment's position.
    alignment_ids      uuid[] not null,
    tags               text[] not null,
    credits_available  numeric,
    human_code         text,
    field_of_study     text,
    specialization     text,
    in_language        text,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    legacy             jsonb
);

-- `Image` and `Alignment` documents, joined in by the profiles and achievements that refer to them.
create unlogged table import_images (
    file_line   bigint not null,
    file_offset bigint not null,
    file_len    integer not null,
    object_id   text not null,
    id          uuid not null,
    url         text not null,
    caption     text
);

create unlogged table import_alignments (
    file_line          bigint not null,
    file_offset        bigint not null,
    file_len           integer not null,
    object_id          text not null,
    id                 uuid not null,
    target_name        text not null,
    target_url         text not null,
    target_description text,
    target_framework   text,
    target_code        text,
    target_type        text,
    legacy             jsonb
);

create unlogged table import_result_descriptions (
    file_line      bigint not null,
    file_offset    bigint not null,
    file_len       integer not null,
    object_id      text not null,
    id             uuid not null,
    achievement_id uuid not null,
    name           text not null,
    result_type    text not null,
    allowed_values text[],
    -- the `id` (URI) of the required rubric level, resolved to its row once levels are in.
    required_level text,
    required_value text,
    value_min      text,
    value_max      text,
    legacy         jsonb
);

create unlogged table import_rubric_levels (
    file_line             bigint not null,
    file_offset           bigint not null,
    file_len              integer not null,
    object_id             text not null,
    id                    uuid not null,
    result_description_id uuid not null,
    uri                   text,
    name                  text not null,
    description           text,
    level                 text,
    points                text,
    legacy                jsonb
);

create unlogged table import_credentials (
    file_line         bigint not null,
    file_offset       bigint not null,
    file_len          integer not null,
    object_id         text not null,
    id                uuid not null,
    achievement_id    uuid not null,
    issuer_id         uuid not null,
    recipient_name    text not null,
    recipient_email   text not null,
    identity_hash     text not null,
    identity_salt     text not null,
    credential_source text not null,
    issued_at         timestamptz not null,
    valid_until       timestamptz,
    claimed_at        timestamptz,
    legacy            jsonb
);

create unlogged table import_endorsements (
    file_line          bigint not null,
    file_offset        bigint not null,
    file_len           integer not null,
    object_id          text not null,
    id                 uuid not null,
    endorser_issuer_id uuid,
    issuer_id          uuid,
    achievement_id     uuid,
    credential_id      uuid,
    credential_source  text not null,
    issued_at          timestamptz,
    legacy             jsonb
);
