-- Open Badges achievements (what is awarded), with criteria, tags, image and validity.
create table achievements (
    id                  uuid primary key default uuid_generate_v7(),
    -- an issuer with achievements cannot be deleted; delete or move them first.
    issuer_id           uuid not null references issuers (id) on delete restrict,
    name                text not null constraint achievements_name_not_blank check (length(btrim(name)) > 0),
    description         text not null default '',
    achievement_type    text constraint achievements_type_known check (
        achievement_type is null
        or is_ob_extension_term(achievement_type)
        or achievement_type in (
            'Achievement', 'ApprenticeshipCertificate', 'Assessment', 'Assignment',
            'AssociateDegree', 'Award', 'Badge', 'BachelorDegree', 'Certificate',
            'CertificateOfCompletion', 'Certification', 'CommunityService', 'Competency',
            'Course', 'CoCurricular', 'Degree', 'Diploma', 'DoctoralDegree', 'Fieldwork',
            'GeneralEducationDevelopment', 'JourneymanCertificate', 'LearningProgram',
            'License', 'Membership', 'ProfessionalDoctorate', 'QualityAssuranceCredential',
            'MasterCertificate', 'MasterDegree', 'MicroCredential', 'ResearchDoctorate',
            'SecondarySchoolDiploma')),
    criteria_narrative  text,
    criteria_url        text constraint achievements_criteria_url_format check (criteria_url is null or criteria_url ~ '^https?://'),
    image               text,
    image_caption       text,
    tags                text[] not null default '{}',
    -- validity of an award: a duration from issuance or a fixed end, not both.
    valid_for           interval constraint achievements_valid_for_positive check (valid_for is null or valid_for > interval '0'),
    valid_until         timestamptz,
    credits_available   numeric constraint achievements_credits_non_negative check (credits_available is null or credits_available >= 0),
    human_code          text,
    field_of_study      text,
    specialization      text,
    in_language         text,
    created_by          uuid references users (id) on delete set null,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    version             integer not null default 1 constraint achievements_version_positive check (version > 0),
    -- OB 3.0 Criteria needs a narrative or an id (URL).
    constraint achievements_criteria_present check (num_nonnulls(criteria_narrative, criteria_url) > 0),
    constraint achievements_single_validity check (valid_for is null or valid_until is null),
    -- lets credentials reference (achievement, issuer) so they always agree.
    constraint achievements_id_issuer_key unique (id, issuer_id)
);
create index achievements_issuer_name_idx on achievements (issuer_id, lower(name), id);
create index achievements_tags_idx on achievements using gin (tags);
create index achievements_created_idx on achievements (created_at desc);
create trigger achievements_set_updated_at before update on achievements
    for each row execute function set_updated_at();
