//! Award history: newest first, case-insensitive search by recipient name or e-mail (the
//! trigram index on `recipient_search`), filters by issuer, achievement and state (notably
//! "unclaimed"), pagination, and CSV export of the filtered list with formula-looking cells
//! neutralised.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{State, state_of};
use crate::error::{Error, Result};
use crate::page::{PageRequest, contains_pattern};
use crate::rbac::CanViewAdmin;

/// Shortest search term [`search_history`] accepts.
pub const MIN_SEARCH_CHARS: usize = 3;
/// Most rows one CSV export holds.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// Which credentials by state.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StateFilter {
    /// Every state.
    #[default]
    All,
    /// Not accepted by the earner yet (and still valid).
    Unclaimed,
    /// Accepted.
    Claimed,
    /// Suspended.
    Suspended,
    /// Revoked.
    Revoked,
    /// Past their expiry.
    Expired,
}

impl StateFilter {
    /// Parses a query-string value (`unclaimed`, …); unknown values mean all.
    pub fn parse(s: &str) -> StateFilter {
        match s {
            "unclaimed" => StateFilter::Unclaimed,
            "claimed" => StateFilter::Claimed,
            "suspended" => StateFilter::Suspended,
            "revoked" => StateFilter::Revoked,
            "expired" => StateFilter::Expired,
            _ => StateFilter::All,
        }
    }

    /// The query-string value.
    pub fn as_str(self) -> &'static str {
        match self {
            StateFilter::All => "all",
            StateFilter::Unclaimed => "unclaimed",
            StateFilter::Claimed => "claimed",
            StateFilter::Suspended => "suspended",
            StateFilter::Revoked => "revoked",
            StateFilter::Expired => "expired",
        }
    }

    fn sql(self) -> Option<&'static str> {
        (self != StateFilter::All).then(|| self.as_str())
    }
}

/// Award-history filters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct HistoryQuery {
    /// Case-insensitive substring of recipient name or e-mail.
    pub text: Option<String>,
    /// Only this issuer.
    pub issuer_id: Option<Uuid>,
    /// Only this achievement.
    pub achievement_id: Option<Uuid>,
    /// Only this state.
    pub state: StateFilter,
    /// Page.
    pub page: PageRequest,
}

/// A row of the award history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct CredentialSummary {
    /// Id.
    pub id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Achievement name.
    pub achievement_name: String,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Recipient's name.
    pub recipient_name: String,
    /// Recipient's e-mail.
    pub recipient_email: String,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// Claimed.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Suspended.
    pub suspended_at: Option<DateTime<Utc>>,
    /// State now.
    pub state: State,
    /// The latest notification e-mail's status (`queued`, `sent`, `failed`), if any.
    pub email_status: Option<String>,
    /// Its last delivery error.
    pub email_error: Option<String>,
}

/// A page of history, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HistoryPage {
    /// Rows.
    pub items: Vec<CredentialSummary>,
    /// Whether another page follows (no total: counting a million rows per page is waste).
    pub has_more: bool,
}

fn pattern(q: &HistoryQuery) -> Result<Option<String>> {
    let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    // Trigrams need three characters; a shorter term would scan every award.
    if text.is_some_and(|t| t.chars().count() < MIN_SEARCH_CHARS) {
        return Err(Error::invalid(
            "text",
            format!("enter at least {MIN_SEARCH_CHARS} characters"),
        ));
    }
    Ok(text.map(contains_pattern))
}

struct Row {
    id: Uuid,
    achievement_id: Uuid,
    achievement_name: String,
    issuer_id: Uuid,
    recipient_name: String,
    recipient_email: String,
    issued_at: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
    claimed_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    suspended_at: Option<DateTime<Utc>>,
    email_status: Option<String>,
    email_error: Option<String>,
}

impl Row {
    fn into_summary(self, now: DateTime<Utc>) -> CredentialSummary {
        CredentialSummary {
            state: state_of(
                now,
                self.issued_at,
                self.valid_until,
                self.claimed_at,
                self.revoked_at,
                self.suspended_at,
            ),
            id: self.id,
            achievement_id: self.achievement_id,
            achievement_name: self.achievement_name,
            issuer_id: self.issuer_id,
            recipient_name: self.recipient_name,
            recipient_email: self.recipient_email,
            issued_at: self.issued_at,
            valid_until: self.valid_until,
            claimed_at: self.claimed_at,
            revoked_at: self.revoked_at,
            suspended_at: self.suspended_at,
            email_status: self.email_status,
            email_error: self.email_error,
        }
    }
}

async fn rows(
    pool: &PgPool,
    auth: &CanViewAdmin,
    q: &HistoryQuery,
    limit: i64,
    offset: i64,
) -> Result<Vec<Row>> {
    if let Some(i) = q.issuer_id {
        auth.check_issuer(i)?;
    }
    let scope = auth.scope().issuer_ids();
    let text = pattern(q)?;
    let state = q.state.sql();
    // Two statements rather than one with `$1 is null or …`, so each gets its own good plan:
    // for a term the best plan depends on how common it is (walk the issued_at index for
    // common terms, trigram bitmap for rare ones); the pool's `force_custom_plan`
    // ([`crate::connection_options`]) lets PostgreSQL see the term each time.
    Ok(match text {
        Some(pattern) => sqlx::query_as!(
            Row,
            r#"select c.id, c.achievement_id, a.name as achievement_name, c.issuer_id, c.recipient_name,
                      c.recipient_email, c.issued_at, c.valid_until, c.claimed_at, c.revoked_at,
                      c.suspended_at, e.status as "email_status?", e.last_error as email_error
                 from credentials c
                 join achievements a on a.id = c.achievement_id
                 left join lateral (select status, last_error from emails
                                     where credential_id = c.id order by created_at desc limit 1) e on true
                where c.recipient_search like $1
                  and ($2::uuid is null or c.issuer_id = $2)
                  and ($3::uuid is null or c.achievement_id = $3)
                  and ($4::uuid[] is null or c.issuer_id = any($4))
                  and ($5::text is null
                       or ($5 = 'unclaimed' and c.claimed_at is null and c.revoked_at is null
                           and c.suspended_at is null and (c.valid_until is null or c.valid_until > now()))
                       or ($5 = 'claimed' and c.claimed_at is not null and c.revoked_at is null)
                       or ($5 = 'suspended' and c.suspended_at is not null)
                       or ($5 = 'revoked' and c.revoked_at is not null)
                       or ($5 = 'expired' and c.revoked_at is null and c.valid_until <= now()))
                order by c.issued_at desc, c.id desc
                limit $6 offset $7"#,
            pattern,
            q.issuer_id,
            q.achievement_id,
            scope.as_deref(),
            state,
            limit,
            offset
        )
        .fetch_all(pool)
        .await?,
        None => sqlx::query_as!(
            Row,
            r#"select c.id, c.achievement_id, a.name as achievement_name, c.issuer_id, c.recipient_name,
                      c.recipient_email, c.issued_at, c.valid_until, c.claimed_at, c.revoked_at,
                      c.suspended_at, e.status as "email_status?", e.last_error as email_error
                 from credentials c
                 join achievements a on a.id = c.achievement_id
                 left join lateral (select status, last_error from emails
                                     where credential_id = c.id order by created_at desc limit 1) e on true
                where ($1::uuid is null or c.issuer_id = $1)
                  and ($2::uuid is null or c.achievement_id = $2)
                  and ($3::uuid[] is null or c.issuer_id = any($3))
                  and ($4::text is null
                       or ($4 = 'unclaimed' and c.claimed_at is null and c.revoked_at is null
                           and c.suspended_at is null and (c.valid_until is null or c.valid_until > now()))
                       or ($4 = 'claimed' and c.claimed_at is not null and c.revoked_at is null)
                       or ($4 = 'suspended' and c.suspended_at is not null)
                       or ($4 = 'revoked' and c.revoked_at is not null)
                       or ($4 = 'expired' and c.revoked_at is null and c.valid_until <= now()))
                order by c.issued_at desc, c.id desc
                limit $5 offset $6"#,
            q.issuer_id,
            q.achievement_id,
            scope.as_deref(),
            state,
            limit,
            offset
        )
        .fetch_all(pool)
        .await?,
    })
}

/// Award history, newest first, within the capability's scope (see [`HistoryQuery`]).
pub async fn search_history(
    pool: &PgPool,
    auth: &CanViewAdmin,
    q: &HistoryQuery,
) -> Result<HistoryPage> {
    let (offset, limit) = q.page.bounds();
    let now = Utc::now();
    let mut items: Vec<CredentialSummary> = rows(pool, auth, q, limit + 1, offset)
        .await?
        .into_iter()
        .map(|r| r.into_summary(now))
        .collect();
    let has_more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    Ok(HistoryPage { items, has_more })
}

/// Spreadsheet programs run cells that start like a formula; prefix them so they are text
/// (OWASP "CSV injection").
pub(crate) fn neutralise_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

fn state_label(s: State) -> String {
    match s {
        State::Revoked => "revoked".into(),
        State::Suspended => "suspended".into(),
        State::Expired => "expired".into(),
        State::Claimed => "claimed".into(),
        State::Unclaimed { days } => format!("unclaimed ({days} days)"),
    }
}

/// The filtered history (all pages, at most [`MAX_EXPORT_ROWS`]) as CSV (UTF-8 with BOM so
/// spreadsheet programs read accents right).
pub async fn export_csv(pool: &PgPool, auth: &CanViewAdmin, q: &HistoryQuery) -> Result<Vec<u8>> {
    let now = Utc::now();
    let rows = rows(pool, auth, q, MAX_EXPORT_ROWS, 0).await?;
    let mut out = Vec::with_capacity(rows.len() * 120 + 64);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut w = csv::Writer::from_writer(out);
    let header = [
        "credential_id",
        "achievement",
        "recipient_name",
        "recipient_email",
        "issued_at",
        "expires_at",
        "state",
        "claimed_at",
        "revoked_at",
        "email",
    ];
    w.write_record(header).map_err(Error::internal)?;
    let fmt = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    for r in rows {
        let s = r.into_summary(now);
        w.write_record([
            s.id.to_string(),
            neutralise_cell(&s.achievement_name),
            neutralise_cell(&s.recipient_name),
            neutralise_cell(&s.recipient_email),
            s.issued_at.to_rfc3339(),
            fmt(s.valid_until),
            state_label(s.state),
            fmt(s.claimed_at),
            fmt(s.revoked_at),
            s.email_status.unwrap_or_default(),
        ])
        .map_err(Error::internal)?;
    }
    w.into_inner().map_err(|e| Error::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(
            super::neutralise_cell("=cmd|' /C calc'!A0"),
            "'=cmd|' /C calc'!A0"
        );
        assert_eq!(super::neutralise_cell("+1"), "'+1");
        assert_eq!(super::neutralise_cell("Ada"), "Ada");
    }
}
