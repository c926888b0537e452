-- OB 3.0 `ResultDescription` and its ordered `RubricCriterionLevel`s.
create table achievement_result_descriptions (
    id                uuid primary key default uuid_generate_v7(),
    achievement_id    uuid not null references achievements (id) on delete cascade,
    position          integer not null constraint achievement_result_descriptions_position_non_negative check (position >= 0),
    name              text not null constraint achievement_result_descriptions_name_not_blank check (length(btrim(name)) > 0),
    result_type       text not null constraint achievement_result_descriptions_type_known check (
        is_ob_extension_term(result_type)
        or result_type in ('GradePointAverage', 'LetterGrade', 'Percent', 'PerformanceLevel',
                           'PredictedScore', 'RawScore', 'Result', 'RubricCriterion',
                           'RubricCriterionLevel', 'RubricScore', 'ScaledScore', 'Status')),
    allowed_values    text[],
    -- set once levels exist; refers to one of this description's own levels.
    required_level_id uuid,
    required_value    text,
    value_min         text,
    value_max         text,
    constraint achievement_result_descriptions_position_key unique (achievement_id, position)
);

create table rubric_criterion_levels (
    id                    uuid primary key default uuid_generate_v7(),
    result_description_id uuid not null references achievement_result_descriptions (id) on delete cascade,
    position              integer not null constraint rubric_criterion_levels_position_non_negative check (position >= 0),
    name                  text not null constraint rubric_criterion_levels_name_not_blank check (length(btrim(name)) > 0),
    description           text,
    level                 text,
    points                text,
    constraint rubric_criterion_levels_position_key unique (result_description_id, position),
    constraint rubric_criterion_levels_id_description_key unique (id, result_description_id)
);

-- the required level must belong to the same result description; deleting it clears the requirement.
alter table achievement_result_descriptions
    add constraint achievement_result_descriptions_required_level_fkey
    foreign key (required_level_id, id) references rubric_criterion_levels (id, result_description_id)
    on delete set null (required_level_id)
    deferrable initially deferred;
