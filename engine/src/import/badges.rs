//! The Open Badges collections of the old Prisma schema: `Image`, `Alignment`, `Profile`
//! (→ issuers), `Multikey` (→ signing keys, encrypted at rest), `Achievement` (→ achievements
//! and their alignments), `ResultDescription`, `RubricCriterionLevel`,
//! `AchievementCredential` (→ credentials) and `EndorsementCredential` (→ endorsements).
//!
//! **Credentials keep their bytes.** A credential document carries the signed credential's
//! properties (`@context` — Prisma calls it `context` —, `id`, `type`, `issuer`,
//! `credentialSubject` with its identity objects, `proof`, …) next to bookkeeping fields
//! (`_id`, `issuerId`, `achievementId`, `claimed`, timestamps). MongoDB keeps no JSON text,
//! so the text the old API served is reproduced the way it made it — `JSON.stringify` of
//! `{"@context": context, ...credential}` (see [`Value::write_js_json`]) — and stored in
//! `credentials.credential_source`; from then on exactly those bytes are served. The proof
//! is not re-computed or checked here (the signature covers the canonical RDF form, which
//! this serialisation preserves); `openbadges::verify` reports on it as before.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::extended_json::{Document, Value};
use super::fields::{self, legacy_uuid};
use super::load::{self, CopyRow, MapResult};
use super::read::Position;
use super::users::oid_time;
use super::{Collection, ImportError, Run, TableCount};
use crate::signing_key;

const PROFILE_FIELDS: &[&str] = &[
    "_id",
    "name",
    "url",
    "email",
    "description",
    "phone",
    "address",
    "imageId",
    "parentOrgID",
    "createdAt",
    "updatedAt",
];
const ALIGNMENT_FIELDS: &[&str] = &[
    "_id",
    "targetName",
    "targetUrl",
    "targetDescription",
    "targetFramework",
    "targetCode",
    "targetType",
    "achievementIds",
];
const ACHIEVEMENT_FIELDS: &[&str] = &[
    "_id",
    "alignmentIds",
    "achievementType",
    "createdAt",
    "creatorId",
    "creditsAvailable",
    "criteria",
    "description",
    "fieldOfStudy",
    "humanCode",
    "imageId",
    "inLanguage",
    "name",
    "specialization",
    "tag",
    "updatedAt",
];
const RESULT_FIELDS: &[&str] = &[
    "_id",
    "allowedValue",
    "name",
    "requiredLevel",
    "requiredValue",
    "resultType",
    "valueMax",
    "valueMin",
    "achievementId",
];
const LEVEL_FIELDS: &[&str] = &[
    "_id",
    "description",
    "level",
    "name",
    "points",
    "resultDescriptionId",
];
/// Bookkeeping fields of a credential document: columns, never part of the signed text.
const CREDENTIAL_BOOKKEEPING: &[&str] = &[
    "_id",
    "issuerId",
    "achievementId",
    "credentialSubjectId",
    "imageId",
    "credentialStatusId",
    "refreshServiceId",
    "claimed",
    "claimedAt",
    "createdAt",
    "updatedAt",
];
/// Properties of an OB 3.0 AchievementCredential (and EndorsementCredential).
const CREDENTIAL_PROPERTIES: &[&str] = &[
    "@context",
    "context",
    "id",
    "type",
    "name",
    "description",
    "image",
    "awardedDate",
    "credentialSubject",
    "endorsement",
    "endorsementJwt",
    "evidence",
    "issuer",
    "validFrom",
    "validUntil",
    "proof",
    "credentialSchema",
    "credentialStatus",
    "refreshService",
    "termsOfUse",
];
const ENDORSEMENT_BOOKKEEPING: &[&str] = &[
    "_id",
    "issuerId",
    "profileId",
    "achievementId",
    "achievementCredentialId",
    "credentialSubjectId",
    "credentialStatusId",
    "refreshServiceId",
    "createdAt",
    "updatedAt",
];

const ACHIEVEMENT_TYPES: &[&str] = &[
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
    "CommunityService",
    "Competency",
    "Course",
    "CoCurricular",
    "Degree",
    "Diploma",
    "DoctoralDegree",
    "Fieldwork",
    "GeneralEducationDevelopment",
    "JourneymanCertificate",
    "LearningProgram",
    "License",
    "Membership",
    "ProfessionalDoctorate",
    "QualityAssuranceCredential",
    "MasterCertificate",
    "MasterDegree",
    "MicroCredential",
    "ResearchDoctorate",
    "SecondarySchoolDiploma",
];
const ALIGNMENT_TYPES: &[&str] = &[
    "ceasn:Competency",
    "ceterms:Credential",
    "CFItem",
    "CFRubric",
    "CFRubricCriterion",
    "CFRubricCriterionLevel",
    "CTDL",
];
const RESULT_TYPES: &[&str] = &[
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

/// The `is_ob_extension_term` rule: `ext:` and a name.
fn extension_term(s: &str) -> bool {
    s.strip_prefix("ext:").is_some_and(|t| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    })
}

fn vocabulary(value: &str, known: &[&str]) -> bool {
    known.contains(&value) || extension_term(value)
}

fn http_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn created_updated(doc: &Document, oid: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let created = fields::opt_date(doc, "createdAt")?
        .or_else(|| oid_time(oid))
        .unwrap_or_else(Utc::now);
    Ok((
        created,
        fields::opt_date(doc, "updatedAt")?.unwrap_or(created),
    ))
}

/// Rejects what SQL flagged in a staging table.
macro_rules! reject_flagged {
    ($run:expr, $c:expr, $rows:expr) => {
        $run.rejects.reject_rows(
            $c,
            $rows
                .into_iter()
                .map(|r| (r.file_line, r.file_offset, r.file_len, r.reason)),
        )?
    };
}

fn map_image(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let url = fields::required_str(doc, "id")?;
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::Image.name(), &oid))
        .text(url)
        .opt_text(fields::opt_str(doc, "caption")?);
    row.end();
    Ok(0)
}

/// Stages `Image` (joined in by profiles and achievements).
pub(super) async fn images(conn: &mut PgConnection, run: &mut Run<'_>) -> Result<(), ImportError> {
    let c = Collection::Image;
    sqlx::query!("truncate import_images")
        .execute(&mut *conn)
        .await?;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_images (file_line, file_offset, file_len, object_id, id, url, caption) from stdin",
        run,
        map_image,
    )
    .await?;
    run.note(c, staged.documents);
    Ok(())
}

fn map_alignment(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let name = fields::required_str(doc, "targetName")?;
    let url = fields::required_str(doc, "targetUrl")?;
    if !url.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    }) {
        return Err(format!("targetUrl {url:?} is not a URI"));
    }
    let target_type = fields::opt_str(doc, "targetType")?;
    if let Some(t) = target_type
        && !vocabulary(t, ALIGNMENT_TYPES)
    {
        return Err(format!(
            "targetType {t:?} is not an Open Badges alignment type or ext: term"
        ));
    }
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::Alignment.name(), &oid))
        .text(name)
        .text(url)
        .opt_text(fields::opt_str(doc, "targetDescription")?)
        .opt_text(fields::opt_str(doc, "targetFramework")?)
        .opt_text(fields::opt_str(doc, "targetCode")?)
        .opt_text(target_type)
        .json(fields::legacy(doc, ALIGNMENT_FIELDS).as_ref());
    row.end();
    Ok(0)
}

/// Stages `Alignment` (placed by the achievements' `alignmentIds`).
pub(super) async fn alignments(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
) -> Result<(), ImportError> {
    let c = Collection::Alignment;
    sqlx::query!("truncate import_alignments")
        .execute(&mut *conn)
        .await?;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_alignments (file_line, file_offset, file_len, object_id, id, target_name, target_url, \
         target_description, target_framework, target_code, target_type, legacy) from stdin",
        run,
        map_alignment,
    )
    .await?;
    run.note(c, staged.documents);
    Ok(())
}

fn map_profile(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let name = fields::required_str(doc, "name")?;
    let mut known: Vec<&str> = PROFILE_FIELDS.to_vec();
    // Values the schema's checks refuse stay in `legacy` instead of losing the issuer.
    let url = fields::opt_str(doc, "url")?.filter(|u| http_url(u));
    if url.is_none() {
        known.retain(|k| *k != "url");
    }
    let email = fields::opt_str(doc, "email")?.filter(|e| fields::email_ok(e));
    if email.is_none() {
        known.retain(|k| *k != "email");
    }
    let address = match doc.get("address") {
        Some(v @ Value::Document(_)) => Some(v.to_relaxed_json()),
        _ => {
            known.retain(|k| *k != "address");
            None
        }
    };
    let (created, updated) = created_updated(doc, &oid)?;
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::Profile.name(), &oid))
        .text(name)
        .opt_text(url)
        .opt_text(email)
        .opt_text(fields::opt_str(doc, "description")?)
        .opt_text(fields::opt_str(doc, "phone")?)
        .json(address.as_ref())
        .opt_uuid(fields::reference(doc, "imageId", Collection::Image.name())?)
        .opt_uuid(fields::reference(
            doc,
            "parentOrgID",
            Collection::Profile.name(),
        )?)
        .time(created)
        .time(updated)
        .json(fields::legacy(doc, &known).as_ref());
    row.end();
    Ok(0)
}

/// Loads `Profile` as issuers.
pub(super) async fn issuers(conn: &mut PgConnection, run: &mut Run<'_>) -> Result<(), ImportError> {
    let c = Collection::Profile;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_issuers")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_issuers (file_line, file_offset, file_len, object_id, id, name, url, email, description, \
         phone, address, image_id, parent_id, created_at, updated_at, legacy) from stdin",
        run,
        map_profile,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select s.file_offset, s.file_line, s.id, s.parent_id,
                      first_value(s.file_line) over (partition by s.id order by s.file_offset) as id_line, first_value(s.file_offset) over (partition by s.id order by s.file_offset) as id_offset
                 from import_issuers s
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when r.parent_id = r.id then 'parentOrgID refers to the profile itself'
                   when r.parent_id is not null
                        and not exists (select 1 from import_issuers p where p.id = r.parent_id)
                        and not exists (select 1 from issuers p where p.id = r.parent_id)
                       then 'parentOrgID refers to a profile that is not in Profile'
                   end as reason
                 from ranked r
           )
           delete from import_issuers s using bad
            where s.file_offset = bad.file_offset and bad.reason is not null
        returning s.file_line, s.file_offset, s.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    reject_flagged!(run, c, bad);
    // One statement: a parent and its children may come in any order (the foreign key is
    // checked at the end of the statement). A parent rejected above leaves its children
    // without one.
    let inserted = sqlx::query!(
        r#"insert into issuers (id, name, url, email, description, phone, address, image, parent_id,
                                created_at, updated_at, legacy)
           select s.id, s.name, s.url, s.email, s.description, s.phone, s.address, i.url,
                  case when exists (select 1 from import_issuers p where p.id = s.parent_id)
                         or exists (select 1 from issuers p where p.id = s.parent_id)
                       then s.parent_id end,
                  s.created_at, s.updated_at, s.legacy
             from import_issuers s left join import_images i on i.id = s.image_id
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'Profile', object_id, id
           from import_issuers on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_issuers) as "staged!",
                  (select count(*) from import_issuers s join issuers i on i.id = s.id) as "present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "issuers",
        counts.staged,
        inserted,
        counts.present,
    ));
    Ok(())
}

/// A `Multikey` secret: bnid's `secretKeySeed` (`z` + base58btc of the identity multihash
/// `0x00 0x20` ‖ 32-byte seed), or a Multikey `secretKeyMultibase`.
fn decode_seed(seed: &str) -> Option<openbadges::keys::KeyPair> {
    if let Ok(pair) = openbadges::keys::KeyPair::from_secret_multibase(seed) {
        return Some(pair);
    }
    let bytes = bs58::decode(seed.strip_prefix('z')?).into_vec().ok()?;
    match bytes.as_slice() {
        [0x00, 0x20, rest @ ..] if rest.len() == 32 => {
            openbadges::keys::KeyPair::from_secret_bytes(rest).ok()
        }
        _ => None,
    }
}

/// Loads `Multikey`: each key becomes the active signing key of its profile (`profileId` or
/// `issuerId`; the old system had one key for everything, so a key without a link goes to
/// the only issuer when there is exactly one). Keys already present are skipped.
pub(super) async fn keys(conn: &mut PgConnection, run: &mut Run<'_>) -> Result<(), ImportError> {
    let c = Collection::Multikey;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    let limits = run.limits();
    let scan = path.clone();
    // Few documents (one per issuer at most): read them whole.
    let docs = tokio::task::spawn_blocking(move || -> Result<Vec<_>, ImportError> {
        let file = std::fs::File::open(&scan).map_err(|e| ImportError::io(&scan, e))?;
        let mut reader = super::read::DocumentReader::new(std::io::BufReader::new(file), limits.0);
        let mut out = Vec::new();
        while let Some(item) = reader.next_item().map_err(|e| ImportError::io(&scan, e))? {
            out.push(match item {
                super::read::Item::Document(pos, b) => (pos, b.to_vec(), None),
                super::read::Item::Oversized(pos, b) => (
                    pos,
                    b.to_vec(),
                    Some("document is larger than the limit".to_owned()),
                ),
                super::read::Item::Broken(pos, r) => (pos, Vec::new(), Some(r.to_owned())),
            });
        }
        Ok(out)
    })
    .await
    .map_err(|e| ImportError::Internal(e.to_string()))??;
    let only_issuer = sqlx::query_scalar!(
        r#"select min(id::text)::uuid as "id" from legacy_ids
            where collection = 'Profile' having count(*) = 1"#
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    let (mut staged, mut inserted, mut present) = (0i64, 0u64, 0i64);
    let documents = docs.len() as u64;
    for (pos, raw, failed) in docs {
        let outcome: Result<(Uuid, openbadges::keys::KeyPair, String, Option<serde_json::Value>), String> = match failed {
            Some(reason) => Err(reason),
            None => super::extended_json::parse_document(&raw, limits.1)
                .map_err(|e| e.to_string())
                .and_then(|doc| {
                    let oid = fields::object_id(&doc)?;
                    let public = fields::required_str(&doc, "publicKeyMultibase")?;
                    let seed = fields::opt_str(&doc, "seed")?
                        .ok_or("the Multikey has no seed: without its secret it cannot be imported as a signing key")?;
                    let pair = decode_seed(seed).ok_or("seed is neither a bnid secret key seed nor a secretKeyMultibase")?;
                    if pair.public_key().multibase() != public {
                        return Err("seed does not belong to publicKeyMultibase".into());
                    }
                    let issuer = match fields::reference(&doc, "profileId", Collection::Profile.name())? {
                        Some(i) => Some(i),
                        None => fields::reference(&doc, "issuerId", Collection::Profile.name())?,
                    }
                    .or(only_issuer)
                    .ok_or("the Multikey names no profile (profileId) and the export has more than one issuer")?;
                    let legacy = fields::legacy(&doc, &["_id", "publicKeyMultibase", "seed", "profileId", "issuerId"]);
                    Ok((issuer, pair, oid, legacy))
                }),
        };
        let (issuer, pair, oid, legacy) = match outcome {
            Ok(v) => v,
            Err(reason) => {
                run.rejects.reject(c, pos, &reason, &raw)?;
                continue;
            }
        };
        staged += 1;
        let public = pair.public_key().multibase();
        let existing = sqlx::query_scalar!(
            "select id from signing_keys where public_key_multibase = $1",
            public
        )
        .fetch_optional(&mut *conn)
        .await?;
        let key_id = match existing {
            Some(id) => id,
            None => {
                let issuer_known = sqlx::query_scalar!(
                    r#"select exists (select 1 from issuers where id = $1) as "e!""#,
                    issuer
                )
                .fetch_one(&mut *conn)
                .await?;
                if !issuer_known {
                    staged -= 1;
                    run.rejects.reject(
                        c,
                        pos,
                        "profileId refers to a profile that is not in Profile",
                        &raw,
                    )?;
                    continue;
                }
                let info = signing_key::store_conn(
                    conn,
                    run.kek,
                    issuer,
                    &pair.secret_bytes(),
                    &pair.public_key().to_bytes(),
                )
                .await?;
                sqlx::query!(
                    "update signing_keys set legacy = $2 where id = $1",
                    info.id,
                    legacy
                )
                .execute(&mut *conn)
                .await?;
                inserted += 1;
                info.id
            }
        };
        present += 1;
        sqlx::query!(
            "insert into legacy_ids (collection, object_id, id) values ('Multikey', $1, $2) on conflict do nothing",
            oid,
            key_id
        )
        .execute(&mut *conn)
        .await?;
    }
    run.note(c, documents);
    run.table(TableCount::new(
        c,
        "signing_keys",
        staged,
        inserted,
        present,
    ));
    Ok(())
}

fn map_achievement(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let issuer = fields::required_reference(doc, "creatorId", Collection::Profile.name())?;
    let name = fields::required_str(doc, "name")?;
    let kind = fields::opt_str(doc, "achievementType")?;
    if let Some(k) = kind
        && !vocabulary(k, ACHIEVEMENT_TYPES)
    {
        return Err(format!(
            "achievementType {k:?} is not an Open Badges achievement type or ext: term"
        ));
    }
    let (narrative, url) = match doc.get("criteria") {
        Some(Value::Document(c)) => (fields::opt_str(c, "narrative")?, fields::opt_str(c, "id")?),
        _ => (None, None),
    };
    let url = url.filter(|u| http_url(u));
    if narrative.is_none() && url.is_none() {
        return Err("criteria needs a narrative or an http(s) id".into());
    }
    let credits = fields::opt_number(doc, "creditsAvailable")?;
    if credits.as_deref().is_some_and(|c| c.starts_with('-')) {
        return Err("creditsAvailable is negative".into());
    }
    let mut alignments = Vec::new();
    match doc.get("alignmentIds") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                let id = fields::reference_value(v, Collection::Alignment.name())
                    .ok_or_else(|| format!("alignmentIds[{i}] is not an ObjectId"))?
                    .to_string();
                if !alignments.contains(&id) {
                    alignments.push(id);
                }
            }
        }
        Some(_) => return Err("alignmentIds is not an array".into()),
    }
    let (created, updated) = created_updated(doc, &oid)?;
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::Achievement.name(), &oid))
        .uuid(issuer)
        .text(name)
        .text(fields::opt_str(doc, "description")?.unwrap_or(""))
        .opt_text(kind)
        .opt_text(narrative)
        .opt_text(url)
        .opt_uuid(fields::reference(doc, "imageId", Collection::Image.name())?)
        .array(&alignments)
        .array(&fields::str_array(doc, "tag")?)
        .opt_text(credits.as_deref())
        .opt_text(fields::opt_str(doc, "humanCode")?)
        .opt_text(fields::opt_str(doc, "fieldOfStudy")?)
        .opt_text(fields::opt_str(doc, "specialization")?)
        .opt_text(fields::opt_str(doc, "inLanguage")?)
        .time(created)
        .time(updated)
        .json(fields::legacy(doc, ACHIEVEMENT_FIELDS).as_ref());
    row.end();
    Ok(alignments.len() as u64)
}

/// Loads `Achievement` with its alignments and image.
pub(super) async fn achievements(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
) -> Result<(), ImportError> {
    let c = Collection::Achievement;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_achievements")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_achievements (file_line, file_offset, file_len, object_id, id, issuer_id, name, description, \
         achievement_type, criteria_narrative, criteria_url, image_id, alignment_ids, tags, credits_available, \
         human_code, field_of_study, specialization, in_language, created_at, updated_at, legacy) from stdin",
        run,
        map_achievement,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select s.file_offset, s.file_line, s.id, s.issuer_id, s.alignment_ids,
                      first_value(s.file_line) over (partition by s.id order by s.file_offset) as id_line, first_value(s.file_offset) over (partition by s.id order by s.file_offset) as id_offset
                 from import_achievements s
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when not exists (select 1 from issuers i where i.id = r.issuer_id)
                       then 'creatorId refers to a profile that is not in Profile'
                   when exists (select 1 from unnest(r.alignment_ids) a(id)
                                 where not exists (select 1 from import_alignments x where x.id = a.id))
                       then 'alignmentIds refers to an alignment that is not in Alignment'
                   end as reason
                 from ranked r
           )
           delete from import_achievements s using bad
            where s.file_offset = bad.file_offset and bad.reason is not null
        returning s.file_line, s.file_offset, s.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    reject_flagged!(run, c, bad);
    let inserted = sqlx::query!(
        r#"insert into achievements (id, issuer_id, name, description, achievement_type, criteria_narrative,
                                     criteria_url, image, image_caption, tags, credits_available, human_code,
                                     field_of_study, specialization, in_language, created_at, updated_at, legacy)
           select s.id, s.issuer_id, s.name, s.description, s.achievement_type, s.criteria_narrative,
                  s.criteria_url, i.url, i.caption, s.tags, s.credits_available, s.human_code,
                  s.field_of_study, s.specialization, s.in_language, s.created_at, s.updated_at, s.legacy
             from import_achievements s left join import_images i on i.id = s.image_id
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // An alignment shared by several achievements becomes one row per achievement, with an
    // id derived from both so a re-run finds it again.
    let aligned = sqlx::query!(
        r#"insert into achievement_alignments (id, achievement_id, position, target_name, target_url,
                                               target_description, target_framework, target_code, target_type, legacy)
           select md5(s.id::text || '/' || a.id::text)::uuid, s.id, (a.ord - 1)::int, a2.target_name, a2.target_url,
                  a2.target_description, a2.target_framework, a2.target_code, a2.target_type, a2.legacy
             from import_achievements s
             cross join unnest(s.alignment_ids) with ordinality as a(id, ord)
             join import_alignments a2 on a2.id = a.id
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'Achievement', object_id, id
           from import_achievements on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_achievements) as "staged!",
                  (select count(*) from import_achievements s join achievements a on a.id = s.id) as "present!",
                  (select coalesce(sum(cardinality(alignment_ids)), 0) from import_achievements)::bigint as "links!",
                  (select count(*) from import_achievements s cross join unnest(s.alignment_ids) a(id)
                     join achievement_alignments x on x.id = md5(s.id::text || '/' || a.id::text)::uuid) as "links_present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "achievements",
        counts.staged,
        inserted,
        counts.present,
    ));
    run.table(TableCount::new(
        c,
        "achievement_alignments",
        counts.links,
        aligned,
        counts.links_present,
    ));
    Ok(())
}

fn map_result(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let achievement =
        fields::required_reference(doc, "achievementId", Collection::Achievement.name())?;
    let name = fields::required_str(doc, "name")?;
    let kind = fields::required_str(doc, "resultType")?;
    if !vocabulary(kind, RESULT_TYPES) {
        return Err(format!(
            "resultType {kind:?} is not an Open Badges result type or ext: term"
        ));
    }
    let allowed = fields::str_array(doc, "allowedValue")?;
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::ResultDescription.name(), &oid))
        .uuid(achievement)
        .text(name)
        .text(kind);
    if allowed.is_empty() {
        row.null();
    } else {
        row.array(&allowed);
    }
    row.opt_text(fields::opt_str(doc, "requiredLevel")?)
        .opt_text(fields::opt_str(doc, "requiredValue")?)
        .opt_text(fields::opt_str(doc, "valueMin")?)
        .opt_text(fields::opt_str(doc, "valueMax")?)
        .json(fields::legacy(doc, RESULT_FIELDS).as_ref());
    row.end();
    Ok(0)
}

/// Loads `ResultDescription`, in file order per achievement.
pub(super) async fn result_descriptions(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
) -> Result<(), ImportError> {
    let c = Collection::ResultDescription;
    sqlx::query!("truncate import_result_descriptions")
        .execute(&mut *conn)
        .await?;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_result_descriptions (file_line, file_offset, file_len, object_id, id, achievement_id, name, \
         result_type, allowed_values, required_level, required_value, value_min, value_max, legacy) from stdin",
        run,
        map_result,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select s.file_offset, s.file_line, s.achievement_id,
                      first_value(s.file_line) over (partition by s.id order by s.file_offset) as id_line, first_value(s.file_offset) over (partition by s.id order by s.file_offset) as id_offset
                 from import_result_descriptions s
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when not exists (select 1 from achievements a where a.id = r.achievement_id)
                       then 'achievementId refers to an achievement that is not in Achievement'
                   end as reason
                 from ranked r
           )
           delete from import_result_descriptions s using bad
            where s.file_offset = bad.file_offset and bad.reason is not null
        returning s.file_line, s.file_offset, s.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    reject_flagged!(run, c, bad);
    let inserted = sqlx::query!(
        r#"insert into achievement_result_descriptions (id, achievement_id, position, name, result_type,
                                                        allowed_values, required_value, value_min, value_max, legacy)
           select id, achievement_id, (row_number() over (partition by achievement_id order by file_offset) - 1)::int,
                  name, result_type, allowed_values, required_value, value_min, value_max, legacy
             from import_result_descriptions
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'ResultDescription', object_id, id
           from import_result_descriptions on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_result_descriptions) as "staged!",
                  (select count(*) from import_result_descriptions s
                     join achievement_result_descriptions d on d.id = s.id) as "present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "achievement_result_descriptions",
        counts.staged,
        inserted,
        counts.present,
    ));
    Ok(())
}

fn map_level(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let description = fields::required_reference(
        doc,
        "resultDescriptionId",
        Collection::ResultDescription.name(),
    )?;
    let name = fields::required_str(doc, "name")?;
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::RubricCriterionLevel.name(), &oid))
        .uuid(description)
        .opt_text(fields::opt_str(doc, "id")?)
        .text(name)
        .opt_text(fields::opt_str(doc, "description")?)
        .opt_text(fields::opt_str(doc, "level")?)
        .opt_text(fields::opt_str(doc, "points")?)
        .json(fields::legacy(doc, LEVEL_FIELDS).as_ref());
    row.end();
    Ok(0)
}

/// Loads `RubricCriterionLevel`, then points each result description's `requiredLevel`
/// (the level's `id`) at its row.
pub(super) async fn rubric_levels(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
) -> Result<(), ImportError> {
    let c = Collection::RubricCriterionLevel;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_rubric_levels")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_rubric_levels (file_line, file_offset, file_len, object_id, id, result_description_id, uri, \
         name, description, level, points, legacy) from stdin",
        run,
        map_level,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select s.file_offset, s.file_line, s.result_description_id,
                      first_value(s.file_line) over (partition by s.id order by s.file_offset) as id_line, first_value(s.file_offset) over (partition by s.id order by s.file_offset) as id_offset
                 from import_rubric_levels s
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when not exists (select 1 from achievement_result_descriptions d where d.id = r.result_description_id)
                       then 'resultDescriptionId refers to a result description that is not in ResultDescription'
                   end as reason
                 from ranked r
           )
           delete from import_rubric_levels s using bad
            where s.file_offset = bad.file_offset and bad.reason is not null
        returning s.file_line, s.file_offset, s.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    reject_flagged!(run, c, bad);
    let inserted = sqlx::query!(
        r#"insert into rubric_criterion_levels (id, result_description_id, position, name, description, level, points, legacy)
           select id, result_description_id,
                  (row_number() over (partition by result_description_id order by file_offset) - 1)::int,
                  name, description, level, points,
                  case when uri is null then legacy else coalesce(legacy, '{}') || jsonb_build_object('id', uri) end
             from import_rubric_levels
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        r#"update achievement_result_descriptions d set required_level_id = l.id
             from import_result_descriptions s
             join import_rubric_levels l on l.result_description_id = s.id and l.uri = s.required_level
            where d.id = s.id and d.required_level_id is null"#
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'RubricCriterionLevel', object_id, id
           from import_rubric_levels on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_rubric_levels) as "staged!",
                  (select count(*) from import_rubric_levels s join rubric_criterion_levels l on l.id = s.id) as "present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "rubric_criterion_levels",
        counts.staged,
        inserted,
        counts.present,
    ));
    Ok(())
}

/// The signed document's text: `@context` first (Prisma's `context` renamed, as the old API
/// did), then every credential property in stored order.
fn credential_source(doc: &Document) -> Result<String, String> {
    let mut out = String::from("{");
    let mut first = true;
    let mut push = |out: &mut String, key: &str, v: &Value| {
        if !first {
            out.push(',');
        }
        first = false;
        super::extended_json::write_js_string(out, key);
        out.push(':');
        v.write_js_json(out);
    };
    let has_at_context = doc.contains("@context");
    if !has_at_context {
        let ctx = doc
            .get("context")
            .ok_or("missing required field @context (or context)")?;
        push(&mut out, "@context", ctx);
    }
    for (k, v) in doc.iter() {
        if k == "context" && !has_at_context {
            continue;
        }
        if CREDENTIAL_PROPERTIES.contains(&k) {
            push(&mut out, k, v);
        }
    }
    out.push('}');
    Ok(out)
}

/// The recipient's e-mail and name from the credential subject's identity objects.
fn recipient(doc: &Document) -> Result<(String, String), String> {
    let subject = doc
        .get("credentialSubject")
        .and_then(Value::as_document)
        .ok_or("missing required field credentialSubject")?;
    let identifiers = match subject.get("identifier") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(v @ Value::Document(_)) => std::slice::from_ref(v),
        _ => &[],
    };
    let mut hashed_only = false;
    for id in identifiers.iter().filter_map(Value::as_document) {
        let email_type = matches!(fields::opt_str(id, "identityType")?, Some("emailAddress"));
        let hashed = fields::opt_bool(id, "hashed")?.unwrap_or(false);
        if email_type && !hashed {
            let email = fields::required_str(id, "identityHash")?.trim().to_owned();
            if !fields::email_ok(&email) {
                return Err(format!("identityHash {email:?} is not an e-mail address"));
            }
            let name = fields::opt_str(subject, "name")?
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .unwrap_or(&email)
                .to_owned();
            return Ok((email, name));
        }
        hashed_only |= email_type;
    }
    Err(if hashed_only {
        "the recipient's e-mail is only known hashed (identity objects with hashed: true)".into()
    } else {
        "credentialSubject has no emailAddress identity object".into()
    })
}

fn map_credential(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let issuer = fields::required_reference(doc, "issuerId", Collection::Profile.name())?;
    let achievement =
        fields::required_reference(doc, "achievementId", Collection::Achievement.name())?;
    let issued = match fields::opt_date(doc, "validFrom")? {
        Some(t) => t,
        None => fields::opt_date(doc, "awardedDate")?.ok_or("missing required field validFrom")?,
    };
    let until = fields::opt_date(doc, "validUntil")?;
    if until.is_some_and(|u| u <= issued) {
        return Err("validUntil is not after validFrom".into());
    }
    let (email, name) = recipient(doc)?;
    let source = credential_source(doc)?;
    let claimed = match fields::opt_date(doc, "claimedAt")? {
        Some(t) => Some(t),
        None => fields::opt_bool(doc, "claimed")?
            .unwrap_or(false)
            .then_some(issued),
    };
    let mut known: Vec<&str> = CREDENTIAL_BOOKKEEPING.to_vec();
    known.retain(|k| {
        !matches!(
            *k,
            "claimed"
                | "credentialSubjectId"
                | "imageId"
                | "credentialStatusId"
                | "refreshServiceId"
        )
    });
    known.extend_from_slice(CREDENTIAL_PROPERTIES);
    let salt = oid.clone();
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::AchievementCredential.name(), &oid))
        .uuid(achievement)
        .uuid(issuer)
        .text(&name)
        .text(&email)
        .text(&crate::award::identity_hash(&email, &salt))
        .text(&salt)
        .text(&source)
        .time(issued)
        .opt_time(until)
        .opt_time(claimed)
        .json(fields::legacy(doc, &known).as_ref());
    row.end();
    Ok(0)
}

/// Loads `AchievementCredential`, keeping each credential's text.
pub(super) async fn credentials(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
) -> Result<(), ImportError> {
    let c = Collection::AchievementCredential;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_credentials")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_credentials (file_line, file_offset, file_len, object_id, id, achievement_id, issuer_id, \
         recipient_name, recipient_email, identity_hash, identity_salt, credential_source, issued_at, \
         valid_until, claimed_at, legacy) from stdin",
        run,
        map_credential,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select s.file_offset, s.file_line, s.achievement_id, s.issuer_id,
                      first_value(s.file_line) over (partition by s.id order by s.file_offset) as id_line, first_value(s.file_offset) over (partition by s.id order by s.file_offset) as id_offset
                 from import_credentials s
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when not exists (select 1 from issuers i where i.id = r.issuer_id)
                       then 'issuerId refers to a profile that is not in Profile'
                   when not exists (select 1 from achievements a where a.id = r.achievement_id)
                       then 'achievementId refers to an achievement that is not in Achievement'
                   when not exists (select 1 from achievements a where a.id = r.achievement_id and a.issuer_id = r.issuer_id)
                       then 'the achievement belongs to another issuer than issuerId'
                   end as reason
                 from ranked r
           )
           delete from import_credentials s using bad
            where s.file_offset = bad.file_offset and bad.reason is not null
        returning s.file_line, s.file_offset, s.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    reject_flagged!(run, c, bad);
    let inserted = sqlx::query!(
        r#"insert into credentials (id, achievement_id, issuer_id, recipient_user_id, recipient_name, recipient_email,
                                    identity_hash, identity_salt, credential, credential_source, issued_at,
                                    valid_until, claimed_at, legacy)
           select s.id, s.achievement_id, s.issuer_id, u.id, s.recipient_name, s.recipient_email, s.identity_hash,
                  s.identity_salt, s.credential_source::jsonb, s.credential_source, s.issued_at, s.valid_until,
                  s.claimed_at, s.legacy
             from import_credentials s
             left join users u on lower(u.email) = lower(s.recipient_email) and u.deleted_at is null
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'AchievementCredential', object_id, id
           from import_credentials on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_credentials) as "staged!",
                  (select count(*) from import_credentials s join credentials c on c.id = s.id
                    where c.credential_source = s.credential_source) as "present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "credentials",
        counts.staged,
        inserted,
        counts.present,
    ));
    Ok(())
}

fn map_endorsement(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let endorser = fields::reference(doc, "issuerId", Collection::Profile.name())?;
    let issuer = fields::reference(doc, "profileId", Collection::Profile.name())?;
    let achievement = fields::reference(doc, "achievementId", Collection::Achievement.name())?;
    let credential = fields::reference(
        doc,
        "achievementCredentialId",
        Collection::AchievementCredential.name(),
    )?;
    if issuer.is_none() && achievement.is_none() && credential.is_none() {
        return Err("missing required field profileId, achievementId or achievementCredentialId (what is endorsed)".into());
    }
    let issued = match fields::opt_date(doc, "validFrom")? {
        Some(t) => Some(t),
        None => fields::opt_date(doc, "awardedDate")?,
    };
    let mut known: Vec<&str> = ENDORSEMENT_BOOKKEEPING.to_vec();
    known.retain(|k| {
        !matches!(
            *k,
            "credentialSubjectId" | "credentialStatusId" | "refreshServiceId"
        )
    });
    known.extend_from_slice(CREDENTIAL_PROPERTIES);
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::EndorsementCredential.name(), &oid))
        .opt_uuid(endorser)
        .opt_uuid(issuer)
        .opt_uuid(achievement)
        .opt_uuid(credential)
        .text(&credential_source(doc)?)
        .opt_time(issued)
        .json(fields::legacy(doc, &known).as_ref());
    row.end();
    Ok(0)
}

/// Loads `EndorsementCredential`, keeping each endorsement's text.
pub(super) async fn endorsements(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
) -> Result<(), ImportError> {
    let c = Collection::EndorsementCredential;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_endorsements")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_endorsements (file_line, file_offset, file_len, object_id, id, endorser_issuer_id, issuer_id, \
         achievement_id, credential_id, credential_source, issued_at, legacy) from stdin",
        run,
        map_endorsement,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select s.*, first_value(s.file_line) over (partition by s.id order by s.file_offset) as id_line, first_value(s.file_offset) over (partition by s.id order by s.file_offset) as id_offset
                 from import_endorsements s
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when r.issuer_id is not null and not exists (select 1 from issuers i where i.id = r.issuer_id)
                       then 'profileId refers to a profile that is not in Profile'
                   when r.achievement_id is not null and not exists (select 1 from achievements a where a.id = r.achievement_id)
                       then 'achievementId refers to an achievement that is not in Achievement'
                   when r.credential_id is not null and not exists (select 1 from credentials x where x.id = r.credential_id)
                       then 'achievementCredentialId refers to a credential that is not in AchievementCredential'
                   end as reason
                 from ranked r
           )
           delete from import_endorsements s using bad
            where s.file_offset = bad.file_offset and bad.reason is not null
        returning s.file_line, s.file_offset, s.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    reject_flagged!(run, c, bad);
    // An endorser outside our issuers is kept: the endorsement names it in its own `issuer`.
    let inserted = sqlx::query!(
        r#"insert into endorsements (id, endorser_issuer_id, issuer_id, achievement_id, credential_id, credential,
                                     credential_source, issued_at, legacy)
           select s.id, (select i.id from issuers i where i.id = s.endorser_issuer_id), s.issuer_id, s.achievement_id,
                  s.credential_id, s.credential_source::jsonb, s.credential_source, s.issued_at, s.legacy
             from import_endorsements s
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'EndorsementCredential', object_id, id
           from import_endorsements on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_endorsements) as "staged!",
                  (select count(*) from import_endorsements s join endorsements e on e.id = s.id) as "present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "endorsements",
        counts.staged,
        inserted,
        counts.present,
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::extended_json::{Limits, parse_document};
    use super::*;

    #[test]
    fn credential_text_is_the_old_api_shape() {
        let doc = parse_document(
            br#"{"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"context":["https://www.w3.org/ns/credentials/v2"],
                "id":"https://old.example/awards/1","type":["VerifiableCredential","AchievementCredential"],
                "issuerId":{"$oid":"65a1b2c3d4e5f60718293a4c"},"claimed":true,
                "proof":[{"type":"DataIntegrityProof","created":{"$date":"2024-05-01T10:00:00Z"}}],"isPublic":false}"#,
            Limits::default(),
        )
        .unwrap();
        assert_eq!(
            credential_source(&doc).unwrap(),
            r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://old.example/awards/1","type":["VerifiableCredential","AchievementCredential"],"proof":[{"type":"DataIntegrityProof","created":"2024-05-01T10:00:00.000Z"}]}"#
        );
    }

    #[test]
    fn vocabularies_accept_extension_terms() {
        assert!(
            vocabulary("Badge", ACHIEVEMENT_TYPES)
                && vocabulary("ext:EventAttendance", ACHIEVEMENT_TYPES)
        );
        assert!(!vocabulary("Trophy", ACHIEVEMENT_TYPES) && !vocabulary("ext:", ACHIEVEMENT_TYPES));
    }
}
