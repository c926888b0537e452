//! E-mail: every message the product sends goes through the `emails` outbox table — queued in
//! the transaction of what caused it (an award and its notification are one commit), then
//! delivered by the workers ([`deliver`]) through SMTP or, in development, written as `.eml`
//! files to an outbox folder; failures are retried with backoff and shown on the award's
//! history row and the admin Outbox page. Messages are built by [`compose`] with `lettre`
//! (the maintained Rust e-mail crate: MIME building, encodings, SMTP with TLS and pooling).

pub mod compose;
pub mod deliver;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::i18n::{Lang, t};
use crate::page::{Page, PageRequest};
use crate::rbac::{CanAward, CanViewAdmin};

pub use deliver::{Mailer, deliver_due};

/// How long a claim link works.
pub const CLAIM_LINK_DAYS: i64 = 90;
/// A re-send of an award's notification is refused within this many minutes of the last one.
pub const RESEND_COOLDOWN_MINUTES: i64 = 10;
/// At most this many notifications per award per day.
pub const RESEND_PER_DAY: i64 = 5;

/// Queues the award notification with a fresh claim link for each (credential, address), on
/// the award's transaction.
pub(crate) async fn queue_award_notifications(
    conn: &mut PgConnection,
    actor: &Actor,
    achievement_name: &str,
    items: &[(Uuid, String)],
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let recipients: Vec<String> = items.iter().map(|(_, e)| e.clone()).collect();
    let langs = recipient_languages(&mut *conn, &recipients).await?;
    let expires = Utc::now() + Duration::days(CLAIM_LINK_DAYS);
    let token_ids: Vec<Uuid> = items.iter().map(|_| Uuid::now_v7()).collect();
    let credential_ids: Vec<Uuid> = items.iter().map(|(c, _)| *c).collect();
    sqlx::query!(
        r#"insert into claim_tokens (id, credential_id, expires_at)
           select id, credential_id, $3 from unnest($1::uuid[], $2::uuid[]) as u (id, credential_id)"#,
        &token_ids,
        &credential_ids,
        expires
    )
    .execute(&mut *conn)
    .await?;
    let email_ids: Vec<Uuid> = items.iter().map(|_| Uuid::now_v7()).collect();
    let payloads: Vec<serde_json::Value> = token_ids
        .iter()
        .zip(&langs)
        .map(|(t, lang)| serde_json::json!({ "claim_token_id": t, "lang": lang }))
        .collect();
    // One subject per language, not per row: a bulk award formats it at most twice.
    let subjects: Vec<String> = {
        let mut by_lang = std::collections::HashMap::new();
        langs
            .iter()
            .map(|lang| {
                by_lang
                    .entry(*lang)
                    .or_insert_with(|| {
                        t(
                            *lang,
                            "email-award-subject",
                            &[("achievement", achievement_name)],
                        )
                    })
                    .clone()
            })
            .collect()
    };
    sqlx::query!(
        r#"insert into emails (id, kind, credential_id, recipient, subject, payload, created_by)
           select u.id, 'award', u.credential_id, u.recipient, u.subject, u.payload, $6
             from unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::text[])
                  as u (id, credential_id, recipient, payload, subject)"#,
        &email_ids,
        &credential_ids,
        &recipients,
        &payloads,
        &subjects,
        actor.user_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The language to write to each address in: the `preferredLanguage` of the account the
/// address belongs to (its primary address, or one it verified), English when there is none
/// or we do not speak it. In address order.
async fn recipient_languages(conn: &mut PgConnection, addresses: &[String]) -> Result<Vec<Lang>> {
    let rows = sqlx::query_scalar!(
        r#"select coalesce(
                  (select u.preferred_language from users u
                    where lower(u.email) = lower(r.email) and u.deleted_at is null),
                  (select u.preferred_language from user_emails ue join users u on u.id = ue.user_id
                    where lower(ue.email) = lower(r.email) and u.deleted_at is null))
             from unnest($1::text[]) with ordinality as r (email, n)
            order by r.n"#,
        addresses
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|tag| tag.as_deref().and_then(Lang::parse).unwrap_or_default())
        .collect())
}

/// A message that carries one signed link for its recipient (composed by `compose::link`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum LinkMail {
    /// An earner's sign-in link.
    SignIn,
    /// Confirms an address an earner added.
    VerifyAddress,
}

impl LinkMail {
    fn kind(self) -> &'static str {
        match self {
            LinkMail::SignIn => "sign_in_link",
            LinkMail::VerifyAddress => "verify_address",
        }
    }

    fn subject(self) -> &'static str {
        match self {
            LinkMail::SignIn => "email-sign-in-subject",
            LinkMail::VerifyAddress => "email-verify-subject",
        }
    }
}

/// Queues a link message to `recipient` on the caller's transaction.
pub(crate) async fn queue_link(
    conn: &mut PgConnection,
    mail: LinkMail,
    recipient: &str,
    url: &str,
    lang: Lang,
) -> Result<()> {
    sqlx::query!(
        r#"insert into emails (id, kind, recipient, subject, payload) values ($1, $2, $3, $4, $5)"#,
        Uuid::now_v7(),
        mail.kind(),
        recipient,
        t(lang, mail.subject(), &[]),
        serde_json::json!({ "url": url, "lang": lang })
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Queues the award notification again for an award that has not been accepted (with a new
/// claim link; the old one keeps working until it expires), rate-limited per award; audited.
pub async fn resend(pool: &PgPool, auth: &CanAward, credential_id: Uuid) -> Result<()> {
    let mut tx = pool.begin().await?;
    let c = sqlx::query!(
        r#"select c.issuer_id, c.recipient_email, c.claimed_at, c.revoked_at, a.name
             from credentials c join achievements a on a.id = c.achievement_id
            where c.id = $1 for update of c"#,
        credential_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound {
        entity: "credential",
    })?;
    auth.check_issuer(c.issuer_id)?;
    if c.revoked_at.is_some() {
        return Err(Error::invalid(
            "credential",
            "is revoked; there is nothing to accept",
        ));
    }
    if c.claimed_at.is_some() {
        return Err(Error::invalid(
            "credential",
            "was already accepted by the earner",
        ));
    }
    let recent = sqlx::query!(
        r#"select count(*) filter (where created_at > now() - make_interval(mins => $2)) as "recent!",
                  count(*) filter (where created_at > now() - interval '1 day') as "today!"
             from emails where credential_id = $1 and kind = 'award'"#,
        credential_id,
        RESEND_COOLDOWN_MINUTES as i32
    )
    .fetch_one(&mut *tx)
    .await?;
    if recent.recent > 0 {
        return Err(Error::invalid(
            "resend",
            format!(
                "the notification was sent less than {RESEND_COOLDOWN_MINUTES} minutes ago; wait a little"
            ),
        ));
    }
    if recent.today >= RESEND_PER_DAY {
        return Err(Error::invalid(
            "resend",
            format!("the notification was sent {RESEND_PER_DAY} times today; try again tomorrow"),
        ));
    }
    queue_award_notifications(
        &mut tx,
        auth.actor(),
        &c.name,
        &[(credential_id, c.recipient_email.clone())],
    )
    .await?;
    audit::record(
        &mut tx,
        auth.actor(),
        "credential.resend",
        Entity::new("credential", credential_id),
        None,
        Some(serde_json::json!({ "recipient_email": c.recipient_email })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One message of the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutboxEntry {
    /// Id.
    pub id: Uuid,
    /// `award`, `sign_in_link`, …
    pub kind: String,
    /// The award it is about.
    pub credential_id: Option<Uuid>,
    /// To.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// `queued`, `sending`, `sent`, `failed`.
    pub status: String,
    /// Delivery attempts.
    pub attempts: i32,
    /// Last delivery error.
    pub last_error: Option<String>,
    /// Queued.
    pub created_at: DateTime<Utc>,
    /// Delivered.
    pub sent_at: Option<DateTime<Utc>>,
    /// Next attempt.
    pub run_after: DateTime<Utc>,
}

/// The outbox, newest first (deployment-wide: needs a global capability).
pub async fn outbox(
    pool: &PgPool,
    auth: &CanViewAdmin,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<OutboxEntry>> {
    auth.check_global()?;
    let (offset, limit) = page.bounds();
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from emails where $1::text is null or status = $1"#,
        status
    )
    .fetch_one(pool)
    .await?;
    let items = sqlx::query_as!(
        OutboxEntry,
        r#"select id, kind, credential_id, recipient, subject, status, attempts, last_error,
                  created_at, sent_at, run_after
             from emails where $1::text is null or status = $1
            order by created_at desc, id desc limit $2 offset $3"#,
        status,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    Ok(Page { items, total })
}

/// The notifications of one award, newest first (for its history).
pub async fn for_credential(
    pool: &PgPool,
    auth: &CanViewAdmin,
    credential_id: Uuid,
) -> Result<Vec<OutboxEntry>> {
    let issuer = sqlx::query_scalar!(
        "select issuer_id from credentials where id = $1",
        credential_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound {
        entity: "credential",
    })?;
    auth.check_issuer(issuer)?;
    Ok(sqlx::query_as!(
        OutboxEntry,
        r#"select id, kind, credential_id, recipient, subject, status, attempts, last_error,
                  created_at, sent_at, run_after
             from emails where credential_id = $1 order by created_at desc limit 50"#,
        credential_id
    )
    .fetch_all(pool)
    .await?)
}
