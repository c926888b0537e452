//! Delivering the outbox: each worker claims due messages with `FOR UPDATE SKIP LOCKED` (so
//! any number of workers share the queue), builds and sends them, and records the outcome —
//! sent with its Message-ID, or the error and the next attempt (30 s × 4^(attempt−1)); after
//! the last attempt the message is `failed` and the award's history row says so.

use std::path::PathBuf;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;

use super::compose::{self, Queued};
use crate::error::{Error, Result};
use crate::public_url::PublicUrls;
use crate::signing_key::KeyEncryptionKey;

/// Where messages go.
#[derive(Clone)]
enum Transport {
    /// An SMTP server (`smtp://`, `smtps://` URL; see lettre's `from_url`).
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder (development; the admin Outbox page lists the messages).
    Folder(PathBuf),
}

/// The configured way to send e-mail, with the sender address.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::Folder(p) => format!("folder {}", p.display()),
        };
        f.debug_struct("Mailer")
            .field("transport", &kind)
            .field("from", &self.from.to_string())
            .finish()
    }
}

fn parse_from(from: &str) -> Result<Mailbox> {
    from.parse()
        .map_err(|e| Error::invalid("MAIL_FROM", format!("is not an address ({e})")))
}

impl Mailer {
    /// Sends through the SMTP server at `url` (`smtp://user:pass@host:587?tls=required`,
    /// `smtps://host:465`, or plain `smtp://127.0.0.1:2525` for a local sink).
    pub fn smtp(url: &str, from: &str) -> Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| Error::invalid("SMTP_URL", format!("{e}")))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: parse_from(from)?,
        })
    }

    /// Writes `<id>.eml` files into `dir` (created when missing).
    pub fn folder(dir: impl Into<PathBuf>, from: &str) -> Result<Mailer> {
        Ok(Mailer {
            transport: Transport::Folder(dir.into()),
            from: parse_from(from)?,
        })
    }

    /// The sender.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// The outbox folder, when messages are written to files.
    pub fn folder_path(&self) -> Option<&std::path::Path> {
        match &self.transport {
            Transport::Folder(p) => Some(p),
            Transport::Smtp(_) => None,
        }
    }

    async fn send(&self, id: uuid::Uuid, message: &Message) -> std::result::Result<(), String> {
        match &self.transport {
            Transport::Smtp(t) => t
                .send(message.clone())
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Transport::Folder(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| e.to_string())?;
                let path = dir.join(format!("{id}.eml"));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// Delivers up to `limit` due messages; returns how many were attempted.
pub async fn deliver_due(
    pool: &PgPool,
    mailer: &Mailer,
    kek: &KeyEncryptionKey,
    urls: &PublicUrls,
    limit: i64,
) -> Result<usize> {
    let due = sqlx::query!(
        r#"update emails set status = 'sending', attempts = attempts + 1,
                  locked_until = now() + interval '2 minutes'
            where id in (select id from emails
                          where (status = 'queued' and run_after <= now())
                             or (status = 'sending' and locked_until < now())
                          order by run_after limit $1
                          for update skip locked)
        returning id, kind, credential_id, recipient, subject, payload, attempts, max_attempts"#,
        limit
    )
    .fetch_all(pool)
    .await?;
    let n = due.len();
    for row in due {
        let q = Queued {
            id: row.id,
            kind: row.kind,
            credential_id: row.credential_id,
            recipient: row.recipient,
            subject: row.subject,
            payload: row.payload,
        };
        let outcome = match compose::message(pool, kek, urls, mailer.from(), &q).await {
            Ok(message) => mailer.send(q.id, &message).await,
            Err(e) => Err(format!("cannot build the message: {e}")),
        };
        match outcome {
            Ok(()) => {
                sqlx::query!(
                    r#"update emails set status = 'sent', sent_at = now(), last_error = null,
                              locked_until = null, message_id = $2
                        where id = $1"#,
                    q.id,
                    format!("{}@{}", q.id, urls.base())
                )
                .execute(pool)
                .await?;
            }
            Err(error) => {
                tracing::warn!(email = %q.id, attempt = row.attempts, %error, "e-mail delivery failed");
                sqlx::query!(
                    r#"update emails set
                          status = case when attempts >= max_attempts then 'failed' else 'queued' end,
                          last_error = $2, locked_until = null,
                          run_after = now() + make_interval(secs => 30 * power(4, greatest(attempts - 1, 0))::int)
                        where id = $1"#,
                    q.id,
                    error.chars().take(500).collect::<String>()
                )
                .execute(pool)
                .await?;
            }
        }
    }
    Ok(n)
}
