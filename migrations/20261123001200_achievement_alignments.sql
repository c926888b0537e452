-- OB 3.0 `Alignment`: frameworks and competencies an achievement aligns to, in order.
create table achievement_alignments (
    id                 uuid primary key default uuid_generate_v7(),
    achievement_id     uuid not null references achievements (id) on delete cascade,
    position           integer not null constraint achievement_alignments_position_non_negative check (position >= 0),
    target_name        text not null constraint achievement_alignments_target_name_not_blank check (length(btrim(target_name)) > 0),
    target_url         text not null constraint achievement_alignments_target_url_format check (target_url ~ '^[a-zA-Z][a-zA-Z0-9+.-]*:'),
    target_description text,
    target_framework   text,
    target_code        text,
    target_type        text constraint achievement_alignments_target_type_known check (
        target_type is null
        or is_ob_extension_term(target_type)
        or target_type in ('ceasn:Competency', 'ceterms:Credential', 'CFItem', 'CFRubric',
                           'CFRubricCriterion', 'CFRubricCriterionLevel', 'CTDL')),
    constraint achievement_alignments_position_key unique (achievement_id, position)
);
