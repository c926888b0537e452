//! Building messages: multipart/alternative (plain text and HTML) with the baked badge as an
//! inline image and an attachment, in the recipient's language (`crate::i18n`).

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::i18n::{Lang, t};
use crate::public_url::PublicUrls;
use crate::signed_link::{self, Purpose};
use crate::signing_key::KeyEncryptionKey;

/// A queued e-mail row, as the worker claimed it.
#[derive(Debug, Clone)]
pub struct Queued {
    /// Row id (also the Message-ID's local part).
    pub id: Uuid,
    /// Kind.
    pub kind: String,
    /// The award.
    pub credential_id: Option<Uuid>,
    /// To.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Kind-specific data.
    pub payload: serde_json::Value,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{title}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f8;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2433">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:32px;border:1px solid #e2e5ec">{body}</div></body></html>"#,
        lang = lang.tag(),
        title = escape(title),
    )
}

fn button(href: &str, label: &str) -> String {
    format!(
        r#"<p style="margin:24px 0"><a href="{href}" style="display:inline-block;background:#3b4cca;color:#fff;text-decoration:none;padding:12px 20px;border-radius:8px;font-weight:600">{label}</a></p>"#,
        href = escape(href),
        label = escape(label)
    )
}

fn lang_of(q: &Queued) -> Lang {
    q.payload
        .get("lang")
        .and_then(|l| serde_json::from_value(l.clone()).ok())
        .unwrap_or_default()
}

/// Builds the message for a queued row.
pub async fn message(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    urls: &PublicUrls,
    from: &Mailbox,
    q: &Queued,
) -> Result<Message> {
    let to: Mailbox = q
        .recipient
        .parse()
        .map_err(|e| Error::invalid("recipient", format!("{e}")))?;
    let lang = lang_of(q);
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(q.subject.clone())
        .message_id(Some(format!("<{}@{}>", q.id, host_of(urls))));
    match q.kind.as_str() {
        "award" => award(pool, kek, urls, builder, lang, q).await,
        "sign_in_link" | "verify_address" => link(builder, lang, q),
        other => Err(Error::internal(format!("unknown e-mail kind {other}"))),
    }
}

fn host_of(urls: &PublicUrls) -> String {
    urls.base()
        .split("://")
        .nth(1)
        .unwrap_or("badge-engine")
        .replace(':', "-")
}

async fn award(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    urls: &PublicUrls,
    builder: lettre::message::MessageBuilder,
    lang: Lang,
    q: &Queued,
) -> Result<Message> {
    let credential_id = q
        .credential_id
        .ok_or_else(|| Error::internal("award e-mail without a credential"))?;
    let token_id: Uuid = q
        .payload
        .get("claim_token_id")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Error::internal("award e-mail without a claim token"))?;
    let row = sqlx::query!(
        r#"select c.recipient_name, c.credential, i.name as issuer_name, t.expires_at
             from credentials c
             join issuers i on i.id = c.issuer_id
             join claim_tokens t on t.credential_id = c.id and t.id = $2
            where c.id = $1"#,
        credential_id,
        token_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound {
        entity: "credential",
    })?;
    let mut conn = pool.acquire().await?;
    let cred = crate::award::get_conn(&mut conn, credential_id).await?;
    let ach = crate::achievement::get_conn(&mut conn, cred.achievement_id).await?;
    drop(conn);
    let claim = urls.claim(&signed_link::sign(
        kek,
        Purpose::Claim,
        token_id,
        row.expires_at,
    )?);
    let expires = crate::i18n::date(lang, row.expires_at);
    let name = &row.recipient_name;
    let achievement = &ach.fields.name;
    let issuer = &row.issuer_name;
    let verify = urls.verify();
    let greeting = t(lang, "email-award-greeting", &[("name", name)]);
    let body = t(
        lang,
        "email-award-body",
        &[("issuer", issuer), ("achievement", achievement)],
    );
    let action = t(lang, "email-award-claim", &[]);
    let hint = t(lang, "email-award-claim-hint", &[("expires", &expires)]);
    let verify_line = t(lang, "email-award-verify", &[("verify", &verify)]);
    let footer = t(lang, "email-award-footer", &[("issuer", issuer)]);
    let text = format!(
        "{greeting}\n\n{body}\n\n{action}: {claim}\n\n{hint}\n\n{verify_line}\n\n-- \n{footer}\n"
    );
    let (_, artwork) = crate::artwork::for_achievement(pool, urls, &ach, issuer, false).await?;
    let signed = serde_json::to_vec(&row.credential).map_err(Error::internal)?;
    let baked = crate::artwork::bake(&artwork, &signed)?;
    let html = html_page(
        lang,
        &q.subject,
        &format!(
            r#"<p style="text-align:center"><img src="cid:badge" alt="{alt}" width="160" height="160" style="border-radius:50%"></p>
<p>{greeting}</p><p style="font-size:18px"><strong>{body}</strong></p>{button}<p style="color:#5b6478">{hint}</p>
<p style="color:#5b6478">{verify_line}</p><hr style="border:none;border-top:1px solid #e2e5ec"><p style="color:#8a91a3;font-size:13px">{footer}</p>"#,
            alt = escape(achievement),
            greeting = escape(&greeting),
            body = escape(&body),
            button = button(&claim, &action),
            hint = escape(&hint),
            verify_line = escape(&verify_line),
            footer = escape(&footer),
        ),
    );
    let png = ContentType::parse("image/png").map_err(Error::internal)?;
    builder
        .multipart(
            MultiPart::mixed()
                .multipart(
                    MultiPart::alternative()
                        .singlepart(SinglePart::plain(text))
                        .multipart(
                            MultiPart::related()
                                .singlepart(SinglePart::html(html))
                                .singlepart(
                                    Attachment::new_inline("badge".into())
                                        .body(baked.clone(), png.clone()),
                                ),
                        ),
                )
                .singlepart(Attachment::new(file_name(achievement)).body(baked, png)),
        )
        .map_err(Error::internal)
}

/// `Badge name.png`, with characters that trouble file systems replaced.
fn file_name(achievement: &str) -> String {
    let clean: String = achievement
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    format!("{}.png", clean.trim())
}

fn link(builder: lettre::message::MessageBuilder, lang: Lang, q: &Queued) -> Result<Message> {
    let url = q
        .payload
        .get("url")
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::internal("link e-mail without a URL"))?;
    let (body, action, after) = if q.kind == "sign_in_link" {
        (
            t(lang, "email-sign-in-body", &[]),
            t(lang, "email-sign-in-action", &[]),
            t(lang, "email-sign-in-ignore", &[]),
        )
    } else {
        (
            t(lang, "email-verify-body", &[("email", &q.recipient)]),
            t(lang, "email-verify-action", &[]),
            t(lang, "email-sign-in-ignore", &[]),
        )
    };
    let text = format!("{body}\n\n{action}: {url}\n\n{after}\n");
    let html = html_page(
        lang,
        &q.subject,
        &format!(
            "<p>{}</p>{}<p style=\"color:#5b6478\">{}</p>",
            escape(&body),
            button(url, &action),
            escape(&after)
        ),
    );
    builder
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(Error::internal)
}
