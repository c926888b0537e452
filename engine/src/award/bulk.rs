//! Bulk awards from a CSV file: every row is validated first and the errors are reported with
//! row and column numbers before anything is issued; the awarder then confirms, and a job
//! issues the credentials in batches (each batch one transaction that also records its rows'
//! outcomes, so a crash never loses or doubles an award) and queues their e-mails.
//!
//! The file: UTF-8 with or without BOM, comma or semicolon separated (detected from the
//! header line), quoted fields allowed (parsed by the `csv` crate). Columns, in any order and
//! case: `name`, `email` (required), `narrative`, `evidence_url`, `result`, `expiry`
//! (`YYYY-MM-DD` or RFC 3339). At most [`MAX_ROWS`] rows and [`MAX_FILE_BYTES`] bytes.
//!
//! Re-running the same file does not award twice: each row's idempotency key is a hash of
//! the achievement, the normalised e-mail and the row's content; "award again" adds the
//! bulk award's own id to the key.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use super::issue::{self, NewAward, Outcome};
use super::{Issuance, normalise_email};
use crate::achievement::{self, Achievement};
use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::job::{self, Job};
use crate::rbac::{Authorized, CanAward, CanViewAdmin, Scope};
use crate::signer::{AwardDetails, AwardResult, EvidenceInput};

/// Most data rows in one file.
pub const MAX_ROWS: usize = 100_000;
/// Largest file, in bytes.
pub const MAX_FILE_BYTES: usize = 32 << 20;
/// Longest cell, in characters.
pub const MAX_CELL_CHARS: usize = 10_000;
/// Most row errors reported (the count of all is reported too).
pub const MAX_REPORTED_ERRORS: usize = 500;
/// Rows issued per transaction by the job.
pub const BATCH_ROWS: usize = 500;
/// The job kind.
pub const JOB_KIND: &str = "bulk_award";

/// The columns of the template, in order.
pub const COLUMNS: [&str; 6] = [
    "name",
    "email",
    "narrative",
    "evidence_url",
    "result",
    "expiry",
];

/// The downloadable template: the header and two example rows.
pub fn template() -> String {
    "name,email,narrative,evidence_url,result,expiry\n\
     Ada Lovelace,ada@example.org,\"Wrote the first program, for the Analytical Engine\",https://example.org/notes,,\n\
     Alan Turing,alan@example.org,,,,2030-12-31\n"
        .to_owned()
}

/// One problem in the file, where a person can find it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct RowError {
    /// Line in the file (the header is line 1), as a spreadsheet numbers rows.
    pub row: usize,
    /// 1-based column, when the problem is one cell.
    pub column: Option<usize>,
    /// The column's name.
    pub column_name: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The result of checking a file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Checked {
    /// Data rows read.
    pub rows: usize,
    /// Problems (at most [`MAX_REPORTED_ERRORS`]).
    pub errors: Vec<RowError>,
    /// Problems in all.
    pub error_count: usize,
    /// The stored, validated bulk award when there were no problems (confirm it to issue).
    pub bulk_award: Option<BulkAward>,
    /// Rows that were awarded before from the same content (they will be skipped).
    pub already_awarded: usize,
    /// The first rows, for the confirmation preview.
    pub preview: Vec<PreviewRow>,
}

/// A row shown before confirming.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PreviewRow {
    /// File line.
    pub row: usize,
    /// Name.
    pub name: String,
    /// E-mail (normalised).
    pub email: String,
    /// Result as given.
    pub result: String,
}

/// A bulk award and its progress.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct BulkAward {
    /// Id.
    pub id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Issuer.
    pub issuer_id: Uuid,
    /// The uploaded file's name.
    pub file_name: String,
    /// `validated`, `queued`, `running`, `succeeded`, `failed`, `cancelled`.
    pub status: String,
    /// Rows.
    pub total_rows: i32,
    /// Credentials issued.
    pub issued: i32,
    /// Rows skipped because they were awarded before.
    pub skipped: i32,
    /// Rows that failed.
    pub failed: i32,
    /// The job issuing it.
    pub job_id: Option<Uuid>,
    /// Who confirmed it.
    pub created_by_label: String,
    /// Uploaded.
    pub created_at: DateTime<Utc>,
    /// Started issuing.
    pub started_at: Option<DateTime<Utc>>,
    /// Finished.
    pub finished_at: Option<DateTime<Utc>>,
}

impl BulkAward {
    /// Rows done (issued, skipped or failed).
    pub fn done(&self) -> i32 {
        self.issued + self.skipped + self.failed
    }

    /// Rows per second since it started.
    pub fn rate(&self, now: DateTime<Utc>) -> Option<f64> {
        let start = self.started_at?;
        let end = self.finished_at.unwrap_or(now);
        let secs = (end - start).num_milliseconds() as f64 / 1000.0;
        (secs > 0.0).then(|| f64::from(self.done()) / secs)
    }
}

struct Parsed {
    row: usize,
    award: NewAward,
    email_key: String,
    result_text: String,
}

/// Finds the header's separator: the one of `,` and `;` that occurs more in the first line.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

fn parse_expiry(value: &str) -> std::result::Result<DateTime<Utc>, String> {
    if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return d
            .and_hms_opt(23, 59, 59)
            .map(|t| t.and_utc())
            .ok_or_else(|| "is not a date".to_owned());
    }
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("`{value}` is not a date (use YYYY-MM-DD, e.g. 2030-12-31)"))
}

/// Maps a `result` cell onto the achievement's first result description: a rubric level by
/// name (case-insensitive) or a value.
fn parse_result(ach: &Achievement, value: &str) -> std::result::Result<AwardResult, String> {
    let Some((index, rd)) = ach.fields.result_descriptions.iter().enumerate().next() else {
        return Err("this achievement describes no results, so leave the column empty".into());
    };
    if rd.levels.is_empty() {
        return Ok(AwardResult {
            result_description: index,
            achieved_level: None,
            value: Some(value.to_owned()),
        });
    }
    match rd.levels.iter().position(|l| {
        l.name.eq_ignore_ascii_case(value)
            || l.level
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(value))
    }) {
        Some(level) => Ok(AwardResult {
            result_description: index,
            achieved_level: Some(level),
            value: None,
        }),
        None => {
            let names: Vec<&str> = rd.levels.iter().map(|l| l.name.as_str()).collect();
            Err(format!(
                "`{value}` is not a level of `{}` (use one of: {})",
                rd.name,
                names.join(", ")
            ))
        }
    }
}

fn idempotency_key(
    achievement_id: Uuid,
    email: &str,
    cells: &[&str],
    again: Option<Uuid>,
) -> String {
    let mut h = Sha256::new();
    h.update(b"bulk-award v1\0");
    h.update(achievement_id.as_bytes());
    h.update(email.as_bytes());
    for c in cells {
        h.update(b"\0");
        h.update(c.trim().as_bytes());
    }
    if let Some(id) = again {
        h.update(b"\0again\0");
        h.update(id.as_bytes());
    }
    format!("bulk:{}", crate::secret::hex(&h.finalize()))
}

/// Reads and validates every row; nothing is stored. `again` salts the idempotency keys.
fn read_rows(
    ach: &Achievement,
    bytes: &[u8],
    again: Option<Uuid>,
) -> std::result::Result<Vec<Parsed>, (Vec<RowError>, usize)> {
    let whole = |message: String| {
        vec![RowError {
            row: 1,
            column: None,
            column_name: None,
            message,
        }]
    };
    let fail = |errors: Vec<RowError>| {
        let n = errors.len();
        Err((errors, n))
    };
    if bytes.len() > MAX_FILE_BYTES {
        return fail(whole(format!(
            "the file is {:.1} MB; the limit is {} MB",
            bytes.len() as f64 / 1_048_576.0,
            MAX_FILE_BYTES >> 20
        )));
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return fail(vec![RowError {
                row: line,
                column: None,
                column_name: None,
                message:
                    "the file is not UTF-8 text; in your spreadsheet choose “CSV UTF-8” when saving"
                        .into(),
            }]);
        }
    };
    if text.trim().is_empty() {
        return fail(whole("the file is empty".into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim().to_lowercase().replace([' ', '-'], "_"))
            .collect(),
        Err(e) => return fail(whole(format!("cannot read the header line: {e}"))),
    };
    let find = |name: &str| headers.iter().position(|h| h == name);
    let mut errors = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if !COLUMNS.contains(&h.as_str()) {
            let hint = if h.contains('@') {
                "the first line must be the header (name,email,…); it looks like a data row"
                    .to_owned()
            } else {
                format!(
                    "unknown column `{h}`; the columns are {}",
                    COLUMNS.join(", ")
                )
            };
            errors.push(RowError {
                row: 1,
                column: Some(i + 1),
                column_name: Some(h.clone()),
                message: hint,
            });
        }
    }
    let (Some(name_col), Some(email_col)) = (find("name"), find("email")) else {
        errors.push(RowError {
            row: 1,
            column: None,
            column_name: None,
            message: "the header must have the columns `name` and `email` (download the template)"
                .into(),
        });
        return fail(errors);
    };
    if !errors.is_empty() {
        return fail(errors);
    }
    let col = |name: &str| find(name);
    let (narrative_col, evidence_col, result_col, expiry_col) = (
        col("narrative"),
        col("evidence_url"),
        col("result"),
        col("expiry"),
    );
    let now = Utc::now();
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut error_count = 0usize;
    let push = |errors: &mut Vec<RowError>, count: &mut usize, e: RowError| {
        *count += 1;
        if errors.len() < MAX_REPORTED_ERRORS {
            errors.push(e);
        }
    };
    for (i, record) in reader.records().enumerate() {
        // The header is line 1; records may span lines when quoted, so use the parser's line.
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(i + 2, |p| p.line() as usize);
                push(
                    &mut errors,
                    &mut error_count,
                    RowError {
                        row,
                        column: None,
                        column_name: None,
                        message: format!("cannot read this row: {e}"),
                    },
                );
                continue;
            }
        };
        let row = record.position().map_or(i + 2, |p| p.line() as usize);
        if i >= MAX_ROWS {
            return fail(vec![RowError {
                row,
                column: None,
                column_name: None,
                message: format!(
                    "the file has more than {MAX_ROWS} rows; split it into several files"
                ),
            }]);
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let at = |c: usize, message: String| RowError {
            row,
            column: Some(c + 1),
            column_name: Some(headers[c].clone()),
            message,
        };
        if let Some((c, _)) = record
            .iter()
            .enumerate()
            .find(|(_, v)| v.chars().count() > MAX_CELL_CHARS)
        {
            push(
                &mut errors,
                &mut error_count,
                at(c, format!("is longer than {MAX_CELL_CHARS} characters")),
            );
            continue;
        }
        let email = normalise_email(cell(Some(email_col)));
        let mut award = NewAward {
            achievement_id: ach.id,
            recipient_name: cell(Some(name_col)).to_owned(),
            recipient_email: email.clone(),
            notify: true,
            ..NewAward::default()
        };
        let mut details = AwardDetails::default();
        let narrative = cell(narrative_col);
        let evidence = cell(evidence_col);
        if !narrative.is_empty() || !evidence.is_empty() {
            details.evidence.push(EvidenceInput {
                url: (!evidence.is_empty()).then(|| evidence.to_owned()),
                narrative: (!narrative.is_empty()).then(|| narrative.to_owned()),
                name: None,
            });
        }
        let result_text = cell(result_col).to_owned();
        if !result_text.is_empty() {
            match parse_result(ach, &result_text) {
                Ok(r) => details.results.push(r),
                Err(m) => {
                    push(
                        &mut errors,
                        &mut error_count,
                        at(result_col.unwrap_or(0), m),
                    );
                    continue;
                }
            }
        }
        let expiry = cell(expiry_col);
        if !expiry.is_empty() {
            match parse_expiry(expiry) {
                Ok(t) => award.valid_until = Some(t),
                Err(m) => {
                    push(
                        &mut errors,
                        &mut error_count,
                        at(expiry_col.unwrap_or(0), m),
                    );
                    continue;
                }
            }
        }
        award.details = details;
        if let Err((field, message)) = issue::check(ach, &award, now) {
            let c = match field {
                "name" => Some(name_col),
                "email" => Some(email_col),
                "expiry" => expiry_col,
                "evidence_url" => evidence_col,
                "narrative" => narrative_col,
                "result" => result_col,
                _ => None,
            };
            push(
                &mut errors,
                &mut error_count,
                match c {
                    Some(c) => at(c, message),
                    None => RowError {
                        row,
                        column: None,
                        column_name: Some(field.to_owned()),
                        message,
                    },
                },
            );
            continue;
        }
        if let Some(first) = seen.get(&email) {
            push(
                &mut errors,
                &mut error_count,
                at(
                    email_col,
                    format!("`{email}` is also on row {first}: each person once per file"),
                ),
            );
            continue;
        }
        seen.insert(email.clone(), row);
        let cells: Vec<&str> = record.iter().collect();
        award.idempotency_key = Some(idempotency_key(ach.id, &email, &cells, again));
        rows.push(Parsed {
            row,
            award,
            email_key: email,
            result_text,
        });
    }
    if rows.is_empty() && errors.is_empty() {
        return Err((whole("the file has a header but no rows".into()), 1));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err((errors, error_count))
    }
}

/// One award of a bulk award given as data (the API) instead of a file: the file's columns.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct BulkRow {
    /// Recipient's name.
    pub name: String,
    /// Recipient's e-mail.
    pub email: String,
    /// Evidence narrative.
    #[serde(default)]
    pub narrative: Option<String>,
    /// Evidence URL.
    #[serde(default)]
    pub evidence_url: Option<String>,
    /// Result value or rubric level name.
    #[serde(default)]
    pub result: Option<String>,
    /// Expiry (`YYYY-MM-DD` or RFC 3339).
    #[serde(default)]
    pub expiry: Option<String>,
}

/// [`check_file`] for rows given as data. They are written as the CSV file they stand for, so
/// both ways in share one set of rules and messages; errors count rows as that file would
/// (the first award is row 2).
pub async fn check_rows(
    pool: &PgPool,
    auth: &CanAward,
    achievement_id: Uuid,
    label: &str,
    rows: &[BulkRow],
) -> Result<Checked> {
    if rows.is_empty() {
        return Err(Error::invalid("awards", "give at least one award"));
    }
    if rows.len() > MAX_ROWS {
        return Err(Error::invalid(
            "awards",
            format!("at most {MAX_ROWS} awards at a time"),
        ));
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS).map_err(Error::internal)?;
    for r in rows {
        out.write_record([
            r.name.as_str(),
            r.email.as_str(),
            r.narrative.as_deref().unwrap_or(""),
            r.evidence_url.as_deref().unwrap_or(""),
            r.result.as_deref().unwrap_or(""),
            r.expiry.as_deref().unwrap_or(""),
        ])
        .map_err(Error::internal)?;
    }
    let bytes = out.into_inner().map_err(Error::internal)?;
    check_file(pool, auth, achievement_id, label, &bytes, false).await
}

/// Checks an uploaded file against the achievement. Without problems it is stored as a
/// validated bulk award that [`confirm`] starts; with problems nothing is stored and every
/// problem is reported with its row and column.
pub async fn check_file(
    pool: &PgPool,
    auth: &CanAward,
    achievement_id: Uuid,
    file_name: &str,
    bytes: &[u8],
    award_again: bool,
) -> Result<Checked> {
    let mut conn = pool.acquire().await?;
    let ach = achievement::get_conn(&mut conn, achievement_id).await?;
    drop(conn);
    auth.check_issuer(ach.issuer_id)?;
    issue::check_awardable(&ach)?;
    let bulk_id = Uuid::now_v7();
    let again = award_again.then_some(bulk_id);
    let file_name: String = file_name.chars().take(200).collect();
    let rows = match read_rows(&ach, bytes, again) {
        Ok(r) => r,
        Err((errors, error_count)) => {
            // Keep the report (nothing is issued) so a plain form post can show it.
            let report = serde_json::to_value(&errors).map_err(Error::internal)?;
            sqlx::query!(
                r#"insert into bulk_awards (id, achievement_id, issuer_id, file_name, status, total_rows,
                                            created_by, created_by_label, errors, error_count)
                   values ($1, $2, $3, $4, 'invalid', 0, $5, $6, $7, $8)"#,
                bulk_id,
                ach.id,
                ach.issuer_id,
                file_name,
                auth.actor().user_id,
                auth.actor().label,
                report,
                error_count as i32
            )
            .execute(pool)
            .await?;
            return Ok(Checked {
                rows: 0,
                error_count,
                errors,
                bulk_award: Some(get_unchecked(pool, bulk_id).await?),
                already_awarded: 0,
                preview: Vec::new(),
            });
        }
    };
    let keys: Vec<String> = rows
        .iter()
        .filter_map(|r| r.award.idempotency_key.clone())
        .collect();
    let already = sqlx::query_scalar!(
        r#"select count(*) as "n!" from credentials where idempotency_key = any($1)"#,
        &keys
    )
    .fetch_one(pool)
    .await?;
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"insert into bulk_awards (id, achievement_id, issuer_id, file_name, total_rows, award_again,
                                    created_by, created_by_label)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        bulk_id,
        ach.id,
        ach.issuer_id,
        file_name,
        rows.len() as i32,
        award_again,
        auth.actor().user_id,
        auth.actor().label
    )
    .execute(&mut *tx)
    .await?;
    for chunk in rows.chunks(5_000) {
        let numbers: Vec<i32> = chunk.iter().map(|r| r.row as i32).collect();
        let names: Vec<String> = chunk
            .iter()
            .map(|r| r.award.recipient_name.trim().to_owned())
            .collect();
        let emails: Vec<String> = chunk.iter().map(|r| r.email_key.clone()).collect();
        let details: Vec<serde_json::Value> = chunk
            .iter()
            .map(|r| serde_json::to_value(&r.award.details).unwrap_or_default())
            .collect();
        let until: Vec<Option<DateTime<Utc>>> = chunk.iter().map(|r| r.award.valid_until).collect();
        let keys: Vec<String> = chunk
            .iter()
            .map(|r| r.award.idempotency_key.clone().unwrap_or_default())
            .collect();
        sqlx::query!(
            r#"insert into bulk_award_rows (bulk_award_id, row_number, recipient_name, recipient_email,
                                            details, valid_until, idempotency_key)
               select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::jsonb[],
                                        $6::timestamptz[], $7::text[])"#,
            bulk_id,
            &numbers,
            &names,
            &emails,
            &details,
            &until as &[Option<DateTime<Utc>>],
            &keys
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let preview = rows
        .iter()
        .take(10)
        .map(|r| PreviewRow {
            row: r.row,
            name: r.award.recipient_name.trim().to_owned(),
            email: r.email_key.clone(),
            result: r.result_text.clone(),
        })
        .collect();
    let bulk = get_unchecked(pool, bulk_id).await?;
    Ok(Checked {
        rows: rows.len(),
        errors: Vec::new(),
        error_count: 0,
        bulk_award: Some(bulk),
        already_awarded: usize::try_from(already).unwrap_or(0),
        preview,
    })
}

async fn get_unchecked(pool: &PgPool, id: Uuid) -> Result<BulkAward> {
    sqlx::query_as!(
        BulkAward,
        r#"select id, achievement_id, issuer_id, file_name, status, total_rows, issued, skipped, failed,
                  job_id, created_by_label, created_at, started_at, finished_at
             from bulk_awards where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound {
        entity: "bulk award",
    })
}

/// A bulk award and its progress (any staff of its issuer may watch it).
pub async fn get(pool: &PgPool, auth: &CanViewAdmin, id: Uuid) -> Result<BulkAward> {
    let b = get_unchecked(pool, id).await?;
    auth.check_issuer(b.issuer_id)?;
    Ok(b)
}

/// The achievement's recent bulk awards, newest first.
pub async fn list_for_achievement(
    pool: &PgPool,
    auth: &CanViewAdmin,
    achievement_id: Uuid,
) -> Result<Vec<BulkAward>> {
    let rows = sqlx::query_as!(
        BulkAward,
        r#"select id, achievement_id, issuer_id, file_name, status, total_rows, issued, skipped, failed,
                  job_id, created_by_label, created_at, started_at, finished_at
             from bulk_awards where achievement_id = $1 and status not in ('validated', 'invalid')
            order by created_at desc limit 20"#,
        achievement_id
    )
    .fetch_all(pool)
    .await?;
    if let Some(b) = rows.first() {
        auth.check_issuer(b.issuer_id)?;
    }
    Ok(rows)
}

/// The problems found in a file that failed its check.
pub async fn check_report(
    pool: &PgPool,
    auth: &CanViewAdmin,
    id: Uuid,
) -> Result<(Vec<RowError>, usize)> {
    let b = get(pool, auth, id).await?;
    let row = sqlx::query!(
        "select errors, error_count from bulk_awards where id = $1",
        b.id
    )
    .fetch_one(pool)
    .await?;
    let errors: Vec<RowError> = serde_json::from_value(row.errors).unwrap_or_default();
    Ok((errors, usize::try_from(row.error_count).unwrap_or(0)))
}

/// The first rows of a validated bulk award, for the confirmation preview.
pub async fn preview(
    pool: &PgPool,
    auth: &CanViewAdmin,
    id: Uuid,
) -> Result<(Vec<PreviewRow>, i64)> {
    get(pool, auth, id).await?;
    let rows = sqlx::query!(
        r#"select row_number, recipient_name, recipient_email, details from bulk_award_rows
            where bulk_award_id = $1 order by row_number limit 10"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let already = sqlx::query_scalar!(
        r#"select count(*) as "n!" from bulk_award_rows r join credentials c on c.idempotency_key = r.idempotency_key
            where r.bulk_award_id = $1"#,
        id
    )
    .fetch_one(pool)
    .await?;
    Ok((
        rows.into_iter()
            .map(|r| PreviewRow {
                row: r.row_number as usize,
                name: r.recipient_name,
                email: r.recipient_email,
                result: r
                    .details
                    .get("results")
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        if a.is_empty() {
                            String::new()
                        } else {
                            "✓".into()
                        }
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        already,
    ))
}

/// Rows that failed, with their errors (first 200).
pub async fn failures(pool: &PgPool, auth: &CanViewAdmin, id: Uuid) -> Result<Vec<RowError>> {
    get(pool, auth, id).await?;
    Ok(sqlx::query!(
        r#"select row_number, error from bulk_award_rows
            where bulk_award_id = $1 and outcome = 'failed' order by row_number limit 200"#,
        id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| RowError {
        row: r.row_number as usize,
        column: None,
        column_name: None,
        message: r.error.unwrap_or_default(),
    })
    .collect())
}

/// Starts issuing a validated bulk award: queues its job (audited). Confirming twice is a
/// no-op that returns the running award.
pub async fn confirm(pool: &PgPool, auth: &CanAward, id: Uuid) -> Result<BulkAward> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        "select issuer_id, achievement_id, status, total_rows from bulk_awards where id = $1 for update",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound {
        entity: "bulk award",
    })?;
    auth.check_issuer(row.issuer_id)?;
    if row.status == "invalid" {
        return Err(Error::invalid(
            "file",
            "this file has errors; correct them and upload it again",
        ));
    }
    if row.status != "validated" {
        drop(tx);
        return get_unchecked(pool, id).await;
    }
    let job = job::enqueue_conn(
        &mut tx,
        auth.actor(),
        JOB_KIND,
        &serde_json::json!({ "bulk_award_id": id }),
        Some(row.total_rows),
    )
    .await?;
    sqlx::query!(
        r#"update bulk_awards set status = 'queued', job_id = $2, created_by = $3, created_by_label = $4
            where id = $1"#,
        id,
        job.id,
        auth.actor().user_id,
        auth.actor().label
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "bulk_award.confirm",
        Entity::new("bulk_award", id),
        None,
        Some(serde_json::json!({ "achievement_id": row.achievement_id, "rows": row.total_rows, "job_id": job.id })),
    )
    .await?;
    tx.commit().await?;
    get_unchecked(pool, id).await
}

/// The job: issues the pending rows of a bulk award batch by batch, on behalf of whoever
/// confirmed it (their name goes into the audit rows), reporting progress. Safe to run again
/// after a crash: rows already done are not touched, and a batch that was committed has its
/// outcomes recorded in the same transaction.
pub async fn run(
    pool: &PgPool,
    ctx: Issuance<'_>,
    job: &Job,
    worker: &str,
    lease_seconds: i32,
) -> Result<()> {
    let id: Uuid = job
        .payload
        .get("bulk_award_id")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::invalid("payload", "bulk_award_id is missing"))?;
    let bulk = get_unchecked(pool, id).await?;
    if matches!(bulk.status.as_str(), "succeeded" | "cancelled") {
        return Ok(());
    }
    sqlx::query!(
        r#"update bulk_awards set status = 'running', started_at = coalesce(started_at, now())
            where id = $1"#,
        id
    )
    .execute(pool)
    .await?;
    // The capability the awarder held when confirming, limited to this award's issuer.
    let auth: CanAward = Authorized::new(
        Actor {
            user_id: job.created_by,
            label: bulk.created_by_label.clone(),
        },
        Scope::Issuers(std::sync::Arc::new([bulk.issuer_id].into_iter().collect())),
    );
    loop {
        if job::is_cancelled(pool, job.id).await? {
            sqlx::query!(
                "update bulk_awards set status = 'cancelled', finished_at = now() where id = $1",
                id
            )
            .execute(pool)
            .await?;
            return Ok(());
        }
        let pending = sqlx::query!(
            r#"select row_number, recipient_name, recipient_email, details, valid_until, idempotency_key
                 from bulk_award_rows
                where bulk_award_id = $1 and outcome is null
                order by row_number limit $2"#,
            id,
            BATCH_ROWS as i64
        )
        .fetch_all(pool)
        .await?;
        if pending.is_empty() {
            break;
        }
        let awards: Vec<(i32, NewAward)> = pending
            .into_iter()
            .map(|r| {
                (
                    r.row_number,
                    NewAward {
                        achievement_id: bulk.achievement_id,
                        recipient_name: r.recipient_name,
                        recipient_email: r.recipient_email,
                        valid_until: r.valid_until,
                        details: serde_json::from_value(r.details).unwrap_or_default(),
                        idempotency_key: Some(r.idempotency_key),
                        notify: true,
                        ..NewAward::default()
                    },
                )
            })
            .collect();
        match issue_rows(pool, &auth, ctx, &bulk, &awards).await {
            Ok(()) => {}
            // An archived achievement or a similar refusal: the rest cannot be issued.
            Err(e @ Error::Invalid { .. }) if awards.len() == 1 => {
                mark_failed(pool, id, awards[0].0, &e.to_string()).await?;
            }
            Err(Error::Invalid { .. }) => {
                // Find the row at fault: issue one by one, recording each failure.
                for one in &awards {
                    if let Err(e) =
                        issue_rows(pool, &auth, ctx, &bulk, std::slice::from_ref(one)).await
                    {
                        match e {
                            Error::Invalid { .. } | Error::Forbidden { .. } => {
                                mark_failed(pool, id, one.0, &e.to_string()).await?;
                            }
                            other => return Err(other),
                        }
                    }
                }
            }
            Err(e) => return Err(e),
        }
        let b = get_unchecked(pool, id).await?;
        job::progress(pool, job.id, worker, b.done(), lease_seconds).await?;
    }
    sqlx::query!(
        r#"update bulk_awards set status = case when failed > 0 and issued + skipped = 0 then 'failed' else 'succeeded' end,
                  finished_at = now()
            where id = $1"#,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// One batch: credentials, their rows' outcomes and the counters in one transaction.
async fn issue_rows(
    pool: &PgPool,
    auth: &CanAward,
    ctx: Issuance<'_>,
    bulk: &BulkAward,
    awards: &[(i32, NewAward)],
) -> Result<()> {
    let requests: Vec<NewAward> = awards.iter().map(|(_, a)| a.clone()).collect();
    // Reserved outside the batch's transaction, so single awards of this issuer do not wait
    // for the whole batch (rows found issued before leave a few entries unused: harmless).
    auth.check_issuer(bulk.issuer_id)?;
    let reserved = crate::status_list::reserve(pool, bulk.issuer_id, requests.len()).await?;
    let mut tx = pool.begin().await?;
    let (issuer_id, outcomes) = issue::issue_in(
        &mut tx,
        auth,
        ctx,
        bulk.achievement_id,
        &requests,
        Some(bulk.id),
        Some(reserved),
    )
    .await?;
    let rows: Vec<i32> = awards.iter().map(|(n, _)| *n).collect();
    let ids: Vec<Uuid> = outcomes.iter().map(|o| o.credential_id()).collect();
    let kinds: Vec<String> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Issued(_) => "issued".to_owned(),
            Outcome::AlreadyIssued(_) => "skipped".to_owned(),
        })
        .collect();
    sqlx::query!(
        r#"update bulk_award_rows r set credential_id = u.id, outcome = u.outcome
             from unnest($2::int[], $3::uuid[], $4::text[]) as u (row_number, id, outcome)
            where r.bulk_award_id = $1 and r.row_number = u.row_number"#,
        bulk.id,
        &rows,
        &ids,
        &kinds
    )
    .execute(&mut *tx)
    .await?;
    let issued = kinds.iter().filter(|k| *k == "issued").count() as i32;
    let skipped = kinds.len() as i32 - issued;
    sqlx::query!(
        "update bulk_awards set issued = issued + $2, skipped = skipped + $3 where id = $1",
        bulk.id,
        issued,
        skipped
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    ctx.cache
        .touch_pages(&super::pages_counting(issuer_id, bulk.achievement_id))
        .await;
    Ok(())
}

async fn mark_failed(pool: &PgPool, id: Uuid, row: i32, error: &str) -> Result<()> {
    let mut tx = pool.begin().await?;
    let n = sqlx::query!(
        r#"update bulk_award_rows set outcome = 'failed', error = $3
            where bulk_award_id = $1 and row_number = $2 and outcome is null"#,
        id,
        row,
        error
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n > 0 {
        sqlx::query!(
            "update bulk_awards set failed = failed + 1 where id = $1",
            id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_follows_the_header() {
        assert_eq!(delimiter("name;email\na;b"), b';');
        assert_eq!(delimiter("name,email\n"), b',');
        assert_eq!(delimiter("\"a;b\",email,x\n"), b',');
    }

    #[test]
    fn expiry_dates_are_read_or_explained() {
        assert!(parse_expiry("2030-12-31").is_ok());
        assert!(parse_expiry("2030-12-31T10:00:00Z").is_ok());
        let e = parse_expiry("31/12/2030").unwrap_err();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn keys_depend_on_content_and_again() {
        let a = Uuid::now_v7();
        let k1 = idempotency_key(a, "x@y.z", &["X", "x@y.z"], None);
        assert_eq!(k1, idempotency_key(a, "x@y.z", &["X ", "x@y.z"], None));
        assert_ne!(k1, idempotency_key(a, "x@y.z", &["Y", "x@y.z"], None));
        assert_ne!(
            k1,
            idempotency_key(a, "x@y.z", &["X", "x@y.z"], Some(Uuid::now_v7()))
        );
    }
}
