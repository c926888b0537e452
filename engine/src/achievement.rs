//! Achievements (what is awarded) with criteria, tags, image, validity, alignments, and
//! result descriptions with ordered rubric levels. A change replaces the children in the same
//! transaction as the parent row, guarded by the parent's version.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Entity};
use crate::error::{Error, Result};
use crate::rbac::CanManageAchievements;

/// OB 3.0 `Alignment`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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

/// An achievement with everything an OB 3.0 `Achievement` needs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Achievement {
    /// Id.
    pub id: Uuid,
    /// Owning issuer.
    pub issuer_id: Uuid,
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// Editable achievement fields (children included).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
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

impl AchievementInput {
    fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "must not be blank"));
        }
        if self.valid_for_days.is_some_and(|d| d <= 0) {
            return Err(Error::invalid("valid_for_days", "must be positive"));
        }
        if self
            .credits_available
            .is_some_and(|c| !c.is_finite() || c < 0.0)
        {
            return Err(Error::invalid(
                "credits_available",
                "must be a non-negative number",
            ));
        }
        for rd in &self.result_descriptions {
            if rd.required_level.is_some_and(|i| i >= rd.levels.len()) {
                return Err(Error::invalid(
                    "required_level",
                    "must point at one of the levels",
                ));
            }
        }
        Ok(())
    }
}

/// Lists an issuer's achievements by name (uses `achievements_issuer_name_idx`).
pub async fn list_for_issuer(pool: &PgPool, issuer_id: Uuid) -> Result<Vec<AchievementSummary>> {
    Ok(sqlx::query_as!(
        AchievementSummary,
        r#"select id, issuer_id, name, achievement_type, image, tags, updated_at
             from achievements where issuer_id = $1
            order by lower(name), id"#,
        issuer_id
    )
    .fetch_all(pool)
    .await?)
}

/// One achievement with alignments, result descriptions and levels.
pub async fn get(pool: &PgPool, id: Uuid) -> Result<Achievement> {
    let mut conn = pool.acquire().await?;
    get_conn(&mut conn, id).await
}

pub(crate) async fn get_conn(conn: &mut PgConnection, id: Uuid) -> Result<Achievement> {
    let a = sqlx::query!(
        r#"select id, issuer_id, name, description, achievement_type, criteria_narrative,
                  criteria_url, image, image_caption, tags,
                  extract(day from valid_for)::int as valid_for_days, valid_until,
                  credits_available::float8 as credits_available, human_code, field_of_study,
                  specialization, in_language, created_at, updated_at, version
             from achievements where id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "achievement",
    })?;
    let alignments = sqlx::query_as!(
        Alignment,
        r#"select target_name, target_url, target_description, target_framework, target_code, target_type
             from achievement_alignments where achievement_id = $1 order by position"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let rds = sqlx::query!(
        r#"select id, name, result_type, allowed_values, required_level_id, required_value,
                  value_min, value_max
             from achievement_result_descriptions where achievement_id = $1 order by position"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let levels = sqlx::query!(
        r#"select l.id, l.result_description_id, l.name, l.description, l.level, l.points
             from rubric_criterion_levels l
             join achievement_result_descriptions rd on rd.id = l.result_description_id
            where rd.achievement_id = $1
            order by l.position"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let result_descriptions = rds
        .into_iter()
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
                name: rd.name,
                result_type: rd.result_type,
                allowed_values: rd.allowed_values,
                required_level,
                required_value: rd.required_value,
                value_min: rd.value_min,
                value_max: rd.value_max,
                levels: own,
            }
        })
        .collect();
    Ok(Achievement {
        id: a.id,
        issuer_id: a.issuer_id,
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
    })
}

/// Inserts alignments, result descriptions and levels for `id` (children must be empty).
async fn insert_children(
    conn: &mut PgConnection,
    id: Uuid,
    input: &AchievementInput,
) -> Result<()> {
    for (pos, al) in input.alignments.iter().enumerate() {
        sqlx::query!(
            r#"insert into achievement_alignments (id, achievement_id, position, target_name, target_url,
                   target_description, target_framework, target_code, target_type)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
            Uuid::now_v7(),
            id,
            pos as i32,
            al.target_name,
            al.target_url,
            al.target_description,
            al.target_framework,
            al.target_code,
            al.target_type
        )
        .execute(&mut *conn)
        .await?;
    }
    for (pos, rd) in input.result_descriptions.iter().enumerate() {
        let rd_id = Uuid::now_v7();
        let level_ids: Vec<Uuid> = rd.levels.iter().map(|_| Uuid::now_v7()).collect();
        let required = rd.required_level.and_then(|i| level_ids.get(i).copied());
        // The required-level foreign key is deferred, so the levels may follow the description.
        sqlx::query!(
            r#"insert into achievement_result_descriptions (id, achievement_id, position, name, result_type,
                   allowed_values, required_level_id, required_value, value_min, value_max)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
            rd_id,
            id,
            pos as i32,
            rd.name,
            rd.result_type,
            rd.allowed_values.as_deref(),
            required,
            rd.required_value,
            rd.value_min,
            rd.value_max
        )
        .execute(&mut *conn)
        .await?;
        for (lpos, (level, level_id)) in rd.levels.iter().zip(&level_ids).enumerate() {
            sqlx::query!(
                r#"insert into rubric_criterion_levels (id, result_description_id, position, name,
                       description, level, points)
                   values ($1, $2, $3, $4, $5, $6, $7)"#,
                level_id,
                rd_id,
                lpos as i32,
                level.name,
                level.description,
                level.level,
                level.points
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Creates an achievement for an issuer.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageAchievements,
    issuer_id: Uuid,
    input: &AchievementInput,
) -> Result<Achievement> {
    input.validate()?;
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    insert_conn(&mut tx, id, issuer_id, input, auth.actor().user_id).await?;
    let created = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "achievement.create",
        Entity::new("achievement", id),
        None,
        audit::snapshot(&created),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub(crate) async fn insert_conn(
    conn: &mut PgConnection,
    id: Uuid,
    issuer_id: Uuid,
    input: &AchievementInput,
    created_by: Option<Uuid>,
) -> Result<()> {
    sqlx::query!(
        r#"insert into achievements (id, issuer_id, name, description, achievement_type,
               criteria_narrative, criteria_url, image, image_caption, tags, valid_for, valid_until,
               credits_available, human_code, field_of_study, specialization, in_language, created_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, make_interval(days => $11), $12,
                   $13::float8::numeric, $14, $15, $16, $17, $18)"#,
        id,
        issuer_id,
        input.name.trim(),
        input.description,
        input.achievement_type,
        input.criteria_narrative,
        input.criteria_url,
        input.image,
        input.image_caption,
        &input.tags,
        input.valid_for_days,
        input.valid_until,
        input.credits_available,
        input.human_code,
        input.field_of_study,
        input.specialization,
        input.in_language,
        created_by
    )
    .execute(&mut *conn)
    .await?;
    insert_children(conn, id, input).await
}

/// Replaces an achievement's fields and children if nobody else changed it since
/// `expected_version` was read.
pub async fn update(
    pool: &PgPool,
    auth: &CanManageAchievements,
    id: Uuid,
    expected_version: i32,
    input: &AchievementInput,
) -> Result<Achievement> {
    input.validate()?;
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    let done = sqlx::query!(
        r#"update achievements set name = $3, description = $4, achievement_type = $5,
                  criteria_narrative = $6, criteria_url = $7, image = $8, image_caption = $9,
                  tags = $10, valid_for = make_interval(days => $11), valid_until = $12,
                  credits_available = $13::float8::numeric, human_code = $14, field_of_study = $15,
                  specialization = $16, in_language = $17, version = version + 1
            where id = $1 and version = $2"#,
        id,
        expected_version,
        input.name.trim(),
        input.description,
        input.achievement_type,
        input.criteria_narrative,
        input.criteria_url,
        input.image,
        input.image_caption,
        &input.tags,
        input.valid_for_days,
        input.valid_until,
        input.credits_available,
        input.human_code,
        input.field_of_study,
        input.specialization,
        input.in_language
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Stale);
    }
    sqlx::query!(
        "delete from achievement_alignments where achievement_id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from achievement_result_descriptions where achievement_id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    insert_children(&mut tx, id, input).await?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "achievement.update",
        Entity::new("achievement", id),
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes an achievement that has never been awarded (children cascade).
pub async fn delete(pool: &PgPool, auth: &CanManageAchievements, id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = get_conn(&mut tx, id).await?;
    sqlx::query!("delete from achievements where id = $1", id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "achievement.delete",
        Entity::new("achievement", id),
        audit::snapshot(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
