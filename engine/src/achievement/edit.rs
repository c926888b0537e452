//! Creating and changing achievements: the wizard's draft, step-by-step updates, publishing,
//! archiving (an achievement with awards is never deleted, only archived), duplicating.
//! Children (alignments, result descriptions, rubric levels) are written set-based with
//! `unnest`, in the parent's transaction.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{Achievement, AchievementInput, Status, get_conn};
use crate::audit::{self, Entity};
use crate::cache::{self, Cache, PageTag};
use crate::error::{Error, Result};
use crate::rbac::CanManageAchievements;

/// Creates an achievement of `issuer_id` with the given status (the wizard starts a
/// `Draft`; the API creates `Active` ones), audited.
pub async fn create(
    pool: &PgPool,
    auth: &CanManageAchievements,
    issuer_id: Uuid,
    input: &AchievementInput,
    status: Status,
) -> Result<Achievement> {
    auth.check_issuer(issuer_id)?;
    if status == Status::Archived {
        return Err(Error::invalid(
            "status",
            "a new achievement cannot be archived",
        ));
    }
    let input = input.normalised();
    input.validate(status == Status::Active)?;
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let issuer_exists = sqlx::query_scalar!(
        r#"select exists (select 1 from issuers where id = $1) as "e!""#,
        issuer_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !issuer_exists {
        return Err(Error::NotFound { entity: "issuer" });
    }
    insert_conn(&mut tx, id, issuer_id, &input, auth.actor().user_id, status).await?;
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

/// The wizard's first step: a draft that later steps fill in.
pub async fn create_draft(
    pool: &PgPool,
    auth: &CanManageAchievements,
    issuer_id: Uuid,
    input: &AchievementInput,
) -> Result<Achievement> {
    create(pool, auth, issuer_id, input, Status::Draft).await
}

pub(crate) async fn insert_conn(
    conn: &mut PgConnection,
    id: Uuid,
    issuer_id: Uuid,
    input: &AchievementInput,
    created_by: Option<Uuid>,
    status: Status,
) -> Result<()> {
    sqlx::query!(
        r#"insert into achievements (id, issuer_id, name, description, achievement_type,
               criteria_narrative, criteria_url, image, image_caption, tags, valid_for, valid_until,
               credits_available, human_code, field_of_study, specialization, in_language, created_by,
               status)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, make_interval(days => $11), $12,
                   $13::float8::numeric, $14, $15, $16, $17, $18, $19)"#,
        id,
        issuer_id,
        input.name,
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
        created_by,
        status.as_str()
    )
    .execute(&mut *conn)
    .await
    .map_err(name_conflict)?;
    insert_children(conn, id, input).await
}

/// The per-issuer name index is the only unique constraint a user can hit here.
fn name_conflict(e: sqlx::Error) -> Error {
    match Error::from(e) {
        Error::Conflict { .. } => Error::invalid(
            "name",
            "another achievement of this issuer already has this name",
        ),
        other => other,
    }
}

/// Inserts alignments, result descriptions and levels for `id` (children must be empty),
/// one statement per table.
async fn insert_children(
    conn: &mut PgConnection,
    id: Uuid,
    input: &AchievementInput,
) -> Result<()> {
    if !input.alignments.is_empty() {
        let al = &input.alignments;
        let ids: Vec<Uuid> = al.iter().map(|_| Uuid::now_v7()).collect();
        let positions: Vec<i32> = (0..al.len() as i32).collect();
        sqlx::query!(
            r#"insert into achievement_alignments (id, achievement_id, position, target_name, target_url,
                   target_description, target_framework, target_code, target_type)
               select u.id, $2, u.position, u.target_name, u.target_url, u.target_description,
                      u.target_framework, u.target_code, u.target_type
                 from unnest($1::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
                             $8::text[], $9::text[])
                      as u (id, position, target_name, target_url, target_description,
                            target_framework, target_code, target_type)"#,
            &ids,
            id,
            &positions,
            &al.iter().map(|a| a.target_name.clone()).collect::<Vec<_>>(),
            &al.iter().map(|a| a.target_url.clone()).collect::<Vec<_>>(),
            &al.iter().map(|a| a.target_description.clone()).collect::<Vec<_>>() as &[Option<String>],
            &al.iter().map(|a| a.target_framework.clone()).collect::<Vec<_>>() as &[Option<String>],
            &al.iter().map(|a| a.target_code.clone()).collect::<Vec<_>>() as &[Option<String>],
            &al.iter().map(|a| a.target_type.clone()).collect::<Vec<_>>() as &[Option<String>],
        )
        .execute(&mut *conn)
        .await?;
    }
    if input.result_descriptions.is_empty() {
        return Ok(());
    }
    let rds = &input.result_descriptions;
    let rd_ids: Vec<Uuid> = rds.iter().map(|_| Uuid::now_v7()).collect();
    let level_ids: Vec<Vec<Uuid>> = rds
        .iter()
        .map(|rd| rd.levels.iter().map(|_| Uuid::now_v7()).collect())
        .collect();
    let required: Vec<Option<Uuid>> = rds
        .iter()
        .zip(&level_ids)
        .map(|(rd, ids)| rd.required_level.and_then(|i| ids.get(i).copied()))
        .collect();
    // allowed_values is an array per row; a 2-D array would need equal lengths, so pass it
    // as JSON and unpack it in SQL.
    let allowed: Vec<Option<serde_json::Value>> = rds
        .iter()
        .map(|rd| rd.allowed_values.as_ref().map(|v| serde_json::json!(v)))
        .collect();
    // The required-level foreign key is deferred, so the levels may follow the description.
    sqlx::query!(
        r#"insert into achievement_result_descriptions (id, achievement_id, position, name, result_type,
               allowed_values, required_level_id, required_value, value_min, value_max)
           select u.id, $2, u.position, u.name, u.result_type,
                  case when u.allowed is null then null
                       else array(select jsonb_array_elements_text(u.allowed)) end,
                  u.required, u.required_value, u.value_min, u.value_max
             from unnest($1::uuid[], $3::int[], $4::text[], $5::text[], $6::jsonb[], $7::uuid[],
                         $8::text[], $9::text[], $10::text[])
                  as u (id, position, name, result_type, allowed, required, required_value,
                        value_min, value_max)"#,
        &rd_ids,
        id,
        &(0..rds.len() as i32).collect::<Vec<_>>(),
        &rds.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        &rds.iter().map(|r| r.result_type.clone()).collect::<Vec<_>>(),
        &allowed as &[Option<serde_json::Value>],
        &required as &[Option<Uuid>],
        &rds.iter().map(|r| r.required_value.clone()).collect::<Vec<_>>() as &[Option<String>],
        &rds.iter().map(|r| r.value_min.clone()).collect::<Vec<_>>() as &[Option<String>],
        &rds.iter().map(|r| r.value_max.clone()).collect::<Vec<_>>() as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let mut l_ids = Vec::new();
    let mut l_rd = Vec::new();
    let mut l_pos = Vec::new();
    let mut l_name = Vec::new();
    let mut l_desc: Vec<Option<String>> = Vec::new();
    let mut l_level: Vec<Option<String>> = Vec::new();
    let mut l_points: Vec<Option<String>> = Vec::new();
    for ((rd, rd_id), ids) in rds.iter().zip(&rd_ids).zip(&level_ids) {
        for (pos, (level, level_id)) in rd.levels.iter().zip(ids).enumerate() {
            l_ids.push(*level_id);
            l_rd.push(*rd_id);
            l_pos.push(pos as i32);
            l_name.push(level.name.clone());
            l_desc.push(level.description.clone());
            l_level.push(level.level.clone());
            l_points.push(level.points.clone());
        }
    }
    if !l_ids.is_empty() {
        sqlx::query!(
            r#"insert into rubric_criterion_levels (id, result_description_id, position, name,
                   description, level, points)
               select * from unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[],
                                    $6::text[], $7::text[])"#,
            &l_ids,
            &l_rd,
            &l_pos,
            &l_name,
            &l_desc as &[Option<String>],
            &l_level as &[Option<String>],
            &l_points as &[Option<String>],
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Locks the achievement, checks scope and version; returns it as it was.
async fn lock_for_change(
    conn: &mut PgConnection,
    auth: &CanManageAchievements,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<Achievement> {
    let issuer_id = sqlx::query_scalar!(
        "select issuer_id from achievements where id = $1 for update",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound {
        entity: "achievement",
    })?;
    auth.check_issuer(issuer_id)?;
    let before = get_conn(conn, id).await?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(Error::Stale);
    }
    Ok(before)
}

async fn invalidate(cache: &Cache, id: Uuid) {
    cache.invalidate(&[cache::achievement_key(id)]).await;
    cache.touch_pages(&[PageTag::Profiles, PageTag::Home]).await;
}

/// Replaces an achievement's fields and children if nobody else changed it since
/// `expected_version` was read ([`Error::Stale`] otherwise).
pub async fn update(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageAchievements,
    id: Uuid,
    expected_version: i32,
    input: &AchievementInput,
) -> Result<Achievement> {
    let input = input.normalised();
    let mut tx = pool.begin().await?;
    let before = lock_for_change(&mut tx, auth, id, Some(expected_version)).await?;
    input.validate(before.status != Status::Draft)?;
    sqlx::query!(
        r#"update achievements set name = $2, description = $3, achievement_type = $4,
                  criteria_narrative = $5, criteria_url = $6, image = $7, image_caption = $8,
                  tags = $9, valid_for = make_interval(days => $10), valid_until = $11,
                  credits_available = $12::float8::numeric, human_code = $13, field_of_study = $14,
                  specialization = $15, in_language = $16, version = version + 1
            where id = $1"#,
        id,
        input.name,
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
    .await
    .map_err(name_conflict)?;
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
    insert_children(&mut tx, id, &input).await?;
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
    invalidate(cache, id).await;
    Ok(after)
}

async fn set_status(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageAchievements,
    id: Uuid,
    expected_version: Option<i32>,
    to: Status,
    action: &str,
) -> Result<Achievement> {
    let mut tx = pool.begin().await?;
    let before = lock_for_change(&mut tx, auth, id, expected_version).await?;
    if before.status == to {
        return Ok(before);
    }
    if to == Status::Active {
        before.fields.validate(true)?;
    }
    if to == Status::Draft {
        return Err(Error::invalid(
            "status",
            "an achievement cannot go back to draft",
        ));
    }
    sqlx::query!(
        r#"update achievements set status = $2,
                  archived_at = case when $2 = 'archived' then now() end,
                  version = version + 1
            where id = $1"#,
        id,
        to.as_str()
    )
    .execute(&mut *tx)
    .await
    .map_err(name_conflict)?;
    let after = get_conn(&mut tx, id).await?;
    audit::record(
        &mut tx,
        auth.actor(),
        action,
        Entity::new("achievement", id),
        Some(serde_json::json!({ "status": before.status })),
        Some(serde_json::json!({ "status": after.status })),
    )
    .await?;
    tx.commit().await?;
    invalidate(cache, id).await;
    Ok(after)
}

/// Makes a draft awardable, after checking it has what an awardable achievement needs.
pub async fn publish(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageAchievements,
    id: Uuid,
    expected_version: i32,
) -> Result<Achievement> {
    set_status(
        pool,
        cache,
        auth,
        id,
        Some(expected_version),
        Status::Active,
        "achievement.publish",
    )
    .await
}

/// Stops an achievement from being awarded; its credentials stay valid.
pub async fn archive(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageAchievements,
    id: Uuid,
) -> Result<Achievement> {
    set_status(
        pool,
        cache,
        auth,
        id,
        None,
        Status::Archived,
        "achievement.archive",
    )
    .await
}

/// Makes an archived achievement awardable again.
pub async fn restore(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageAchievements,
    id: Uuid,
) -> Result<Achievement> {
    set_status(
        pool,
        cache,
        auth,
        id,
        None,
        Status::Active,
        "achievement.restore",
    )
    .await
}

/// A new draft with the same fields and children as `id` ("Copy of …"), as a starting point.
pub async fn duplicate(
    pool: &PgPool,
    auth: &CanManageAchievements,
    id: Uuid,
) -> Result<Achievement> {
    let mut conn = pool.acquire().await?;
    let source = get_conn(&mut conn, id).await?;
    drop(conn);
    auth.check_issuer(source.issuer_id)?;
    let mut input = source.fields.clone();
    // Find a free name: "Copy of X", "Copy of X (2)", …
    let base = format!("Copy of {}", source.fields.name);
    for n in 1..=50 {
        input.name = if n == 1 {
            base.clone()
        } else {
            format!("{base} ({n})")
        };
        match create(pool, auth, source.issuer_id, &input, Status::Draft).await {
            Err(Error::Invalid { field, .. }) if field == "name" => continue,
            other => return other,
        }
    }
    Err(Error::invalid(
        "name",
        "too many copies of this achievement",
    ))
}

/// Deletes an achievement that was never awarded (children cascade); one with awards can
/// only be archived.
pub async fn delete(
    pool: &PgPool,
    cache: &Cache,
    auth: &CanManageAchievements,
    id: Uuid,
) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = lock_for_change(&mut tx, auth, id, None).await?;
    let awarded = sqlx::query_scalar!(
        r#"select exists (select 1 from credentials where achievement_id = $1) as "e!""#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if awarded {
        return Err(Error::invalid(
            "achievement",
            "it has been awarded, so it cannot be deleted; archive it instead",
        ));
    }
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
    invalidate(cache, id).await;
    Ok(())
}
