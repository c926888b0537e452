//! Achievements (what is awarded) with criteria (Markdown narrative and/or URL), tags, image,
//! validity, alignments, and result descriptions with ordered rubric levels. Split by action:
//! [`edit`] (the wizard's draft, updates, publish, archive, duplicate) and [`list`]. A change
//! replaces the children in the same transaction as the parent row, guarded by the parent's
//! version. Every function checks that the capability reaches the achievement's issuer.

pub mod edit;
pub mod list;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::cache::{self, Cache};
use crate::error::{Error, Result};
use crate::rbac::CanViewAdmin;

pub use edit::{archive, create, create_draft, delete, duplicate, publish, restore, update};
pub use list::{AchievementListQuery, list, list_in_scope};

/// OB 3.0 `Alignment`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct Alignment {
    /// `targetName`.
    pub target_name: String,
    /// `targetUrl`.
    pub target_url: String,
    /// `targetDescription`.
    pub target_description: Option<String>,
    /// `targetFramework`.
    pub target_framework: Option<String>,
    /// `targetCode`.
    pub target_code: Option<String>,
    /// `targetType` (OB vocabulary or `ext:`).
    pub target_type: Option<String>,
}

/// OB 3.0 `RubricCriterionLevel`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct RubricLevel {
    /// Id (ignored on input; assigned by the engine).
    #[serde(default)]
    pub id: Option<Uuid>,
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `level`.
    pub level: Option<String>,
    /// `points`.
    pub points: Option<String>,
}

/// OB 3.0 `ResultDescription`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct ResultDescription {
    /// Id (ignored on input).
    #[serde(default)]
    pub id: Option<Uuid>,
    /// `name`.
    pub name: String,
    /// `resultType` (OB vocabulary or `ext:`).
    pub result_type: String,
    /// `allowedValue`.
    pub allowed_values: Option<Vec<String>>,
    /// Index into `levels` of `requiredLevel`.
    pub required_level: Option<usize>,
    /// `requiredValue`.
    pub required_value: Option<String>,
    /// `valueMin`.
    pub value_min: Option<String>,
    /// `valueMax`.
    pub value_max: Option<String>,
    /// `rubricCriterionLevel`, in order.
    pub levels: Vec<RubricLevel>,
}

/// Where an achievement is in its life.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written in the wizard; not awardable, not public.
    Draft,
    /// Awardable.
    #[default]
    Active,
    /// No longer awardable; credentials already awarded stay valid.
    Archived,
}

impl Status {
    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Active => "active",
            Status::Archived => "archived",
        }
    }

    pub(crate) fn parse(s: &str) -> Status {
        match s {
            "draft" => Status::Draft,
            "archived" => Status::Archived,
            _ => Status::Active,
        }
    }
}

/// An achievement with everything an OB 3.0 `Achievement` needs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Achievement {
    /// Id.
    pub id: Uuid,
    /// Owning issuer.
    pub issuer_id: Uuid,
    /// Draft, active or archived.
    pub status: Status,
    /// When it was archived.
    pub archived_at: Option<DateTime<Utc>>,
    /// Fields.
    #[serde(flatten)]
    pub fields: AchievementInput,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

/// A row of an issuer's achievement list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct AchievementSummary {
    /// Id.
    pub id: Uuid,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Name.
    pub name: String,
    /// Type.
    pub achievement_type: Option<String>,
    /// Image.
    pub image: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Draft, active or archived.
    pub status: Status,
    /// Credentials awarded (including revoked ones).
    pub awards: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Editable achievement fields (children included).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct AchievementInput {
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: String,
    /// `achievementType` (OB vocabulary or `ext:`).
    pub achievement_type: Option<String>,
    /// `criteria.narrative`.
    pub criteria_narrative: Option<String>,
    /// `criteria.id`.
    pub criteria_url: Option<String>,
    /// Image URL or data URI.
    pub image: Option<String>,
    /// `image.caption`.
    pub image_caption: Option<String>,
    /// `tag`.
    pub tags: Vec<String>,
    /// Awards are valid this many days after issuance.
    pub valid_for_days: Option<i32>,
    /// Awards are valid until this instant.
    pub valid_until: Option<DateTime<Utc>>,
    /// `creditsAvailable`.
    pub credits_available: Option<f64>,
    /// `humanCode`.
    pub human_code: Option<String>,
    /// `fieldOfStudy`.
    pub field_of_study: Option<String>,
    /// `specialization`.
    pub specialization: Option<String>,
    /// `inLanguage`.
    pub in_language: Option<String>,
    /// `alignment`, in order.
    pub alignments: Vec<Alignment>,
    /// `resultDescription`, in order.
    pub result_descriptions: Vec<ResultDescription>,
}

/// The OB 3.0 `AchievementType` vocabulary.
pub const ACHIEVEMENT_TYPES: [&str; 31] = [
    "Achievement",
    "ApprenticeshipCertificate",
    "Assessment",
    "Assignment",
    "AssociateDegree",
    "Award",
    "Badge",
    "BachelorDegree",
    "Certificate",
    "CertificateOfCompletion",
    "Certification",
    "CoCurricular",
    "CommunityService",
    "Competency",
    "Course",
    "Degree",
    "Diploma",
    "DoctoralDegree",
    "Fieldwork",
    "GeneralEducationDevelopment",
    "JourneymanCertificate",
    "LearningProgram",
    "License",
    "MasterCertificate",
    "MasterDegree",
    "Membership",
    "MicroCredential",
    "ProfessionalDoctorate",
    "QualityAssuranceCredential",
    "ResearchDoctorate",
    "SecondarySchoolDiploma",
];

/// The OB 3.0 `AlignmentTargetType` vocabulary.
pub const ALIGNMENT_TYPES: [&str; 7] = [
    "ceasn:Competency",
    "ceterms:Credential",
    "CFItem",
    "CFRubric",
    "CFRubricCriterion",
    "CFRubricCriterionLevel",
    "CTDL",
];

/// The OB 3.0 `ResultType` vocabulary.
pub const RESULT_TYPES: [&str; 12] = [
    "GradePointAverage",
    "LetterGrade",
    "Percent",
    "PerformanceLevel",
    "PredictedScore",
    "RawScore",
    "Result",
    "RubricCriterion",
    "RubricCriterionLevel",
    "RubricScore",
    "ScaledScore",
    "Status",
];

/// Whether `value` is an OB extensible-vocabulary extension term such as `ext:MyType`.
pub fn is_extension_term(value: &str) -> bool {
    value.strip_prefix("ext:").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    })
}

/// Longest narrative (Markdown) in characters.
pub const MAX_NARRATIVE_CHARS: usize = 20_000;
/// Most alignments, result descriptions, rubric levels per description, tags.
pub const MAX_CHILDREN: usize = 50;

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn check_len(field: &str, value: Option<&str>, max: usize) -> Result<()> {
    if value.is_some_and(|v| v.chars().count() > max) {
        return Err(Error::invalid(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(())
}

fn check_vocabulary(field: &str, value: &str, vocabulary: &[&str], what: &str) -> Result<()> {
    if vocabulary.contains(&value) || is_extension_term(value) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("`{value}` is not an Open Badges {what} (or an ext: term)"),
        ))
    }
}

/// Whether `value` is an absolute URL with a scheme (`https://…`, `urn:…`).
fn is_absolute_url(value: &str) -> bool {
    match value.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
                && !value.chars().any(char::is_whitespace)
                && (!matches!(scheme, "http" | "https") || rest.starts_with("//") && rest.len() > 2)
        }
        None => false,
    }
}

impl AchievementInput {
    /// Trims text, drops empty optional values and empty child rows (a form's blank line).
    pub(crate) fn normalised(&self) -> AchievementInput {
        let mut tags: Vec<String> = Vec::new();
        for t in &self.tags {
            let t = t.trim();
            if !t.is_empty() && !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                tags.push(t.to_owned());
            }
        }
        AchievementInput {
            name: self.name.trim().to_owned(),
            description: self.description.trim().to_owned(),
            achievement_type: text(&self.achievement_type),
            criteria_narrative: text(&self.criteria_narrative),
            criteria_url: text(&self.criteria_url),
            image: text(&self.image),
            image_caption: text(&self.image_caption),
            tags,
            valid_for_days: self.valid_for_days,
            valid_until: self.valid_until,
            credits_available: self.credits_available,
            human_code: text(&self.human_code),
            field_of_study: text(&self.field_of_study),
            specialization: text(&self.specialization),
            in_language: text(&self.in_language),
            alignments: self
                .alignments
                .iter()
                .filter(|a| !(a.target_name.trim().is_empty() && a.target_url.trim().is_empty()))
                .map(|a| Alignment {
                    target_name: a.target_name.trim().to_owned(),
                    target_url: a.target_url.trim().to_owned(),
                    target_description: text(&a.target_description),
                    target_framework: text(&a.target_framework),
                    target_code: text(&a.target_code),
                    target_type: text(&a.target_type),
                })
                .collect(),
            result_descriptions: self
                .result_descriptions
                .iter()
                .filter(|r| !r.name.trim().is_empty() || !r.levels.is_empty())
                .map(|r| ResultDescription {
                    id: None,
                    name: r.name.trim().to_owned(),
                    result_type: r.result_type.trim().to_owned(),
                    allowed_values: r.allowed_values.clone().filter(|v| !v.is_empty()),
                    required_level: r.required_level,
                    required_value: text(&r.required_value),
                    value_min: text(&r.value_min),
                    value_max: text(&r.value_max),
                    levels: r
                        .levels
                        .iter()
                        .filter(|l| !l.name.trim().is_empty())
                        .map(|l| RubricLevel {
                            id: None,
                            name: l.name.trim().to_owned(),
                            description: text(&l.description),
                            level: text(&l.level),
                            points: text(&l.points),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// Checks every field (`for_award`: also what an awardable achievement needs) and names
    /// the first that is wrong, with a reason a person can act on.
    pub(crate) fn validate(&self, for_award: bool) -> Result<()> {
        if self.name.is_empty() {
            return Err(Error::invalid("name", "must not be blank"));
        }
        check_len("name", Some(&self.name), 200)?;
        check_len("description", Some(&self.description), 10_000)?;
        check_len(
            "criteria_narrative",
            self.criteria_narrative.as_deref(),
            MAX_NARRATIVE_CHARS,
        )?;
        for (field, value) in [
            ("criteria_url", self.criteria_url.as_deref()),
            ("image", self.image.as_deref()),
            ("image_caption", self.image_caption.as_deref()),
            ("human_code", self.human_code.as_deref()),
            ("field_of_study", self.field_of_study.as_deref()),
            ("specialization", self.specialization.as_deref()),
            ("in_language", self.in_language.as_deref()),
        ] {
            check_len(field, value, 500)?;
        }
        if let Some(t) = &self.achievement_type {
            check_vocabulary(
                "achievement_type",
                t,
                &ACHIEVEMENT_TYPES,
                "achievement type",
            )?;
        }
        if let Some(u) = &self.criteria_url {
            crate::issuer::check_http_url("criteria_url", u)?;
        }
        if let Some(u) = &self.image {
            crate::issuer::check_http_url("image", u)?;
        }
        if let Some(lang) = &self.in_language
            && !(lang.len() <= 35
                && lang.split('-').all(|p| {
                    !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric())
                }))
        {
            return Err(Error::invalid(
                "in_language",
                "must be a language tag such as en or nl-BE",
            ));
        }
        if self
            .valid_for_days
            .is_some_and(|d| !(1..=36_500).contains(&d))
        {
            return Err(Error::invalid(
                "valid_for_days",
                "must be between 1 and 36,500 days",
            ));
        }
        if self.valid_for_days.is_some() && self.valid_until.is_some() {
            return Err(Error::invalid(
                "valid_for_days",
                "give a number of days or an end date, not both",
            ));
        }
        if self
            .credits_available
            .is_some_and(|c| !c.is_finite() || !(0.0..=100_000.0).contains(&c))
        {
            return Err(Error::invalid(
                "credits_available",
                "must be a number between 0 and 100,000",
            ));
        }
        if self.tags.len() > MAX_CHILDREN {
            return Err(Error::invalid(
                "tags",
                format!("at most {MAX_CHILDREN} tags"),
            ));
        }
        for t in &self.tags {
            check_len("tags", Some(t), 100)?;
        }
        if self.alignments.len() > MAX_CHILDREN {
            return Err(Error::invalid(
                "alignments",
                format!("at most {MAX_CHILDREN} alignments"),
            ));
        }
        for (i, a) in self.alignments.iter().enumerate() {
            let n = i + 1;
            if a.target_name.is_empty() {
                return Err(Error::invalid(
                    "alignments",
                    format!("alignment {n}: the target name is required"),
                ));
            }
            if !is_absolute_url(&a.target_url) {
                return Err(Error::invalid(
                    "alignments",
                    format!(
                        "alignment {n}: the target URL `{}` is not a URL (e.g. https://example.org/framework/1)",
                        a.target_url
                    ),
                ));
            }
            if let Some(t) = &a.target_type {
                check_vocabulary("alignments", t, &ALIGNMENT_TYPES, "alignment target type")?;
            }
            for v in [
                Some(&a.target_name),
                a.target_description.as_ref(),
                a.target_framework.as_ref(),
                a.target_code.as_ref(),
            ] {
                check_len("alignments", v.map(String::as_str), 1000)?;
            }
        }
        if self.result_descriptions.len() > MAX_CHILDREN {
            return Err(Error::invalid(
                "result_descriptions",
                format!("at most {MAX_CHILDREN} result descriptions"),
            ));
        }
        for (i, rd) in self.result_descriptions.iter().enumerate() {
            let n = i + 1;
            if rd.name.is_empty() {
                return Err(Error::invalid(
                    "result_descriptions",
                    format!("result {n}: the name is required"),
                ));
            }
            check_vocabulary(
                "result_descriptions",
                &rd.result_type,
                &RESULT_TYPES,
                "result type",
            )?;
            if rd.levels.len() > MAX_CHILDREN {
                return Err(Error::invalid(
                    "result_descriptions",
                    format!("result {n}: at most {MAX_CHILDREN} rubric levels"),
                ));
            }
            if rd.required_level.is_some_and(|l| l >= rd.levels.len()) {
                return Err(Error::invalid(
                    "result_descriptions",
                    format!("result {n}: the required level must be one of its levels"),
                ));
            }
            let mut names: Vec<String> = Vec::new();
            for l in &rd.levels {
                let key = l.name.to_lowercase();
                if names.contains(&key) {
                    return Err(Error::invalid(
                        "result_descriptions",
                        format!("result {n}: two levels are called `{}`", l.name),
                    ));
                }
                names.push(key);
            }
        }
        if for_award {
            if self.description.is_empty() {
                return Err(Error::invalid(
                    "description",
                    "an awardable achievement needs a description",
                ));
            }
            if self.criteria_narrative.is_none() && self.criteria_url.is_none() {
                return Err(Error::invalid(
                    "criteria_narrative",
                    "give the criteria as a narrative or a URL",
                ));
            }
        }
        Ok(())
    }
}

/// One achievement for the admin pages; `Forbidden` outside the capability's scope.
pub async fn get(pool: &PgPool, auth: &CanViewAdmin, id: Uuid) -> Result<Achievement> {
    let mut conn = pool.acquire().await?;
    let a = get_conn(&mut conn, id).await?;
    auth.check_issuer(a.issuer_id)?;
    Ok(a)
}

/// An achievement as the public sees it (its page and `Achievement` JSON-LD, the URL every
/// credential names), through the cache; drafts are not public.
pub async fn public(pool: &PgPool, cache: &Cache, id: Uuid) -> Result<Achievement> {
    let key = cache::achievement_key(id);
    if let Some(hit) = cache.get_json::<Achievement>(&key).await {
        return Ok(hit);
    }
    let mut conn = pool.acquire().await?;
    let a = get_conn(&mut conn, id).await?;
    drop(conn);
    if a.status == Status::Draft {
        return Err(Error::NotFound {
            entity: "achievement",
        });
    }
    cache.put_json(&key, &a, cache::DEFAULT_TTL).await;
    Ok(a)
}

pub(crate) async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Achievement> {
    load_many(conn, &[id]).await?.pop().ok_or(Error::NotFound {
        entity: "achievement",
    })
}

/// Several achievements for the admin pages and the API, in the order of `ids`; ids outside
/// the capability's scope or unknown are left out.
pub async fn get_many(
    pool: &PgPool,
    auth: &CanViewAdmin,
    ids: &[Uuid],
) -> Result<Vec<Achievement>> {
    let mut conn = pool.acquire().await?;
    let all = load_many(&mut conn, ids).await?;
    Ok(all
        .into_iter()
        .filter(|a| auth.check_issuer(a.issuer_id).is_ok())
        .collect())
}

/// Four queries however many achievements: rows, alignments, result descriptions, levels.
async fn load_many(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<Achievement>> {
    let rows = sqlx::query!(
        r#"select id, issuer_id, status, archived_at, name, description, achievement_type,
                  criteria_narrative, criteria_url, image, image_caption, tags,
                  extract(day from valid_for)::int as valid_for_days, valid_until,
                  credits_available::float8 as credits_available, human_code, field_of_study,
                  specialization, in_language, created_at, updated_at, version
             from achievements where id = any($1)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let alignments = sqlx::query!(
        r#"select achievement_id, target_name, target_url, target_description, target_framework,
                  target_code, target_type
             from achievement_alignments where achievement_id = any($1) order by position"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let rds = sqlx::query!(
        r#"select id, achievement_id, name, result_type, allowed_values, required_level_id,
                  required_value, value_min, value_max
             from achievement_result_descriptions where achievement_id = any($1) order by position"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let levels = sqlx::query!(
        r#"select l.id, l.result_description_id, l.name, l.description, l.level, l.points
             from rubric_criterion_levels l
             join achievement_result_descriptions rd on rd.id = l.result_description_id
            where rd.achievement_id = any($1)
            order by l.position"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        let alignments = alignments
            .iter()
            .filter(|x| x.achievement_id == a.id)
            .map(|x| Alignment {
                target_name: x.target_name.clone(),
                target_url: x.target_url.clone(),
                target_description: x.target_description.clone(),
                target_framework: x.target_framework.clone(),
                target_code: x.target_code.clone(),
                target_type: x.target_type.clone(),
            })
            .collect();
        let result_descriptions = rds
            .iter()
            .filter(|rd| rd.achievement_id == a.id)
            .map(|rd| {
                let own: Vec<RubricLevel> = levels
                    .iter()
                    .filter(|l| l.result_description_id == rd.id)
                    .map(|l| RubricLevel {
                        id: Some(l.id),
                        name: l.name.clone(),
                        description: l.description.clone(),
                        level: l.level.clone(),
                        points: l.points.clone(),
                    })
                    .collect();
                let required_level = rd
                    .required_level_id
                    .and_then(|req| own.iter().position(|l| l.id == Some(req)));
                ResultDescription {
                    id: Some(rd.id),
                    name: rd.name.clone(),
                    result_type: rd.result_type.clone(),
                    allowed_values: rd.allowed_values.clone(),
                    required_level,
                    required_value: rd.required_value.clone(),
                    value_min: rd.value_min.clone(),
                    value_max: rd.value_max.clone(),
                    levels: own,
                }
            })
            .collect();
        out.push(Achievement {
            id: a.id,
            issuer_id: a.issuer_id,
            status: Status::parse(&a.status),
            archived_at: a.archived_at,
            fields: AchievementInput {
                name: a.name,
                description: a.description,
                achievement_type: a.achievement_type,
                criteria_narrative: a.criteria_narrative,
                criteria_url: a.criteria_url,
                image: a.image,
                image_caption: a.image_caption,
                tags: a.tags,
                valid_for_days: a.valid_for_days,
                valid_until: a.valid_until,
                credits_available: a.credits_available,
                human_code: a.human_code,
                field_of_study: a.field_of_study,
                specialization: a.specialization,
                in_language: a.in_language,
                alignments,
                result_descriptions,
            },
            created_at: a.created_at,
            updated_at: a.updated_at,
            version: a.version,
        });
    }
    // In the order asked for.
    out.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_urls_must_be_urls() {
        let mut input = AchievementInput {
            name: "A".into(),
            alignments: vec![Alignment {
                target_name: "Framework".into(),
                target_url: "not a url".into(),
                ..Alignment::default()
            }],
            ..AchievementInput::default()
        };
        let err = input.normalised().validate(false).unwrap_err().to_string();
        assert!(err.contains("not a URL"), "{err}");
        input.alignments[0].target_url = "https://example.org/f/1".into();
        assert!(input.normalised().validate(false).is_ok());
        input.alignments[0].target_url = "urn:uuid:0192f000-0000-7000-8000-000000000001".into();
        assert!(input.normalised().validate(false).is_ok());
        input.alignments[0].target_url = "https:".into();
        assert!(input.normalised().validate(false).is_err());
    }

    #[test]
    fn awardable_achievements_need_criteria() {
        let draft = AchievementInput {
            name: "A".into(),
            description: "d".into(),
            ..AchievementInput::default()
        };
        assert!(draft.validate(false).is_ok());
        assert!(draft.validate(true).is_err());
        assert!(
            is_extension_term("ext:MyType")
                && !is_extension_term("ext:")
                && !is_extension_term("Badge")
        );
    }
}
