//! Earners outside the organisation's tenant: sign-in by e-mail link (a one-time, signed,
//! 20-minute link sent to an address that has badges), and the verified addresses of an
//! account (badges sent to any of them are the earner's). Requests are rate-limited per
//! address and answered the same whether the address has badges or not, so nobody can probe
//! which addresses exist.

use chrono::{Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::public_url::PublicUrls;
use crate::signed_link::{self, LinkError, Purpose};
use crate::signing_key::KeyEncryptionKey;
use crate::user::{User, looks_like_email};

/// How long a sign-in link works.
pub const LINK_MINUTES: i64 = 20;
/// Links per address and hour; more requests are silently dropped.
pub const LINKS_PER_HOUR: i64 = 5;
/// The identity provider recorded for accounts that sign in by e-mail link.
pub const EMAIL_PROVIDER: &str = "email";

/// Only local paths are followed after signing in.
fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains(['\\', '\r', '\n', '\t'])
        && next.len() <= 512;
    if ok {
        next.to_owned()
    } else {
        "/me/badges".to_owned()
    }
}

/// Sends a sign-in link to `email` if it has badges (and has not had too many links lately).
/// Always succeeds for a well-formed address, whatever happened, so the answer reveals nothing.
pub async fn request_sign_in_link(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    urls: &PublicUrls,
    email: &str,
    next: &str,
    lang: Lang,
) -> Result<()> {
    let email = email.trim().to_lowercase();
    if !looks_like_email(&email) || email.len() > 320 {
        return Err(Error::invalid("email", "is not an e-mail address"));
    }
    let wanted = sqlx::query!(
        r#"select exists (select 1 from credentials where lower(recipient_email) = $1) as "has_badges!",
                  (select count(*) from email_tokens where lower(email) = $1 and purpose = 'sign_in'
                      and created_at > now() - interval '1 hour') as "recent!""#,
        email
    )
    .fetch_one(pool)
    .await?;
    if !wanted.has_badges || wanted.recent >= LINKS_PER_HOUR {
        return Ok(());
    }
    let id = Uuid::new_v4();
    let expires = Utc::now() + Duration::minutes(LINK_MINUTES);
    let url = urls.magic_link(&signed_link::sign(kek, Purpose::SignIn, id, expires)?);
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"insert into email_tokens (id, purpose, email, next_path, expires_at)
           values ($1, 'sign_in', $2, $3, $4)"#,
        id,
        email,
        safe_next(next),
        expires
    )
    .execute(&mut *tx)
    .await?;
    crate::mail::queue_link(&mut tx, crate::mail::LinkMail::SignIn, &email, &url, lang).await?;
    tx.commit().await?;
    Ok(())
}

/// Uses a sign-in link: returns the account to sign in (created for a first-time earner) and
/// where to go next. An address that belongs to an organisation account is refused: that
/// account signs in through its identity provider (an e-mail link must not bypass it).
pub async fn use_sign_in_link(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    token: &str,
) -> Result<(User, String)> {
    let id = match signed_link::open(kek, Purpose::SignIn, token, Utc::now()) {
        Ok(id) => id,
        Err(LinkError::Expired) => {
            return Err(Error::invalid(
                "link",
                "this sign-in link has expired; ask for a new one",
            ));
        }
        Err(LinkError::Invalid) => {
            return Err(Error::invalid("link", "this is not a valid sign-in link"));
        }
    };
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"update email_tokens set used_at = now()
            where id = $1 and purpose = 'sign_in' and used_at is null and expires_at > now()
        returning email, next_path"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        Error::invalid(
            "link",
            "this sign-in link was already used; ask for a new one",
        )
    })?;
    let email = row.email.to_lowercase();
    let existing = sqlx::query!(
        r#"select u.id, u.identity_provider, u.active, u.deleted_at is not null as "deleted!"
             from users u
            where u.id = (select user_id from user_emails where lower(email) = $1)
               or (u.deleted_at is null and lower(u.email) = $1)
            order by (u.id = (select user_id from user_emails where lower(email) = $1)) desc
            limit 1"#,
        email
    )
    .fetch_optional(&mut *tx)
    .await?;
    let user_id = match existing {
        Some(u) if u.deleted || !u.active => return Err(Error::AccountDisabled),
        Some(u)
            if u.identity_provider
                .as_deref()
                .is_some_and(|p| p != EMAIL_PROVIDER) =>
        {
            return Err(Error::invalid(
                "link",
                "this address belongs to an organisation account; sign in with your organisation instead",
            ));
        }
        Some(u) => u.id,
        None => {
            let id = Uuid::now_v7();
            sqlx::query!(
                r#"insert into users (id, username, email, identity_provider, subject, last_login, emails)
                   values ($1, $2, $2, $3, $2, now(),
                           jsonb_build_array(jsonb_build_object('value', $2::text, 'primary', true)))"#,
                id,
                email,
                EMAIL_PROVIDER
            )
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    sqlx::query!(
        r#"insert into user_emails (user_id, email) values ($1, $2) on conflict do nothing"#,
        user_id,
        email
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("update users set last_login = now() where id = $1", user_id)
        .execute(&mut *tx)
        .await?;
    let user = crate::user::get_conn(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok((user, row.next_path.unwrap_or_else(|| "/me/badges".into())))
}

/// The signed-in earner's verified addresses.
pub async fn addresses(pool: &PgPool, user: &User) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar!(
        "select email from user_emails where user_id = $1 order by verified_at",
        user.id
    )
    .fetch_all(pool)
    .await?)
}

/// Sends a confirmation link to a further address of the signed-in earner.
pub async fn add_address(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    urls: &PublicUrls,
    user: &User,
    email: &str,
    lang: Lang,
) -> Result<()> {
    let email = email.trim().to_lowercase();
    if !looks_like_email(&email) || email.len() > 320 {
        return Err(Error::invalid("email", "is not an e-mail address"));
    }
    let recent = sqlx::query_scalar!(
        r#"select count(*) as "n!" from email_tokens
            where user_id = $1 and purpose = 'add_address' and created_at > now() - interval '1 hour'"#,
        user.id
    )
    .fetch_one(pool)
    .await?;
    if recent >= LINKS_PER_HOUR {
        return Err(Error::invalid(
            "email",
            "too many confirmation e-mails in the last hour; try again later",
        ));
    }
    let id = Uuid::new_v4();
    let expires = Utc::now() + Duration::hours(24);
    let url = format!(
        "{}/me/addresses/confirm/{}",
        urls.base(),
        signed_link::sign(kek, Purpose::ConfirmAddress, id, expires)?
    );
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"insert into email_tokens (id, purpose, email, user_id, expires_at) values ($1, 'add_address', $2, $3, $4)"#,
        id,
        email,
        user.id,
        expires
    )
    .execute(&mut *tx)
    .await?;
    crate::mail::queue_link(
        &mut tx,
        crate::mail::LinkMail::VerifyAddress,
        &email,
        &url,
        lang,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms an address from its link, for the signed-in earner who asked for it.
pub async fn confirm_address(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    user: &User,
    token: &str,
) -> Result<String> {
    let id = signed_link::open(kek, Purpose::ConfirmAddress, token, Utc::now()).map_err(|_| {
        Error::invalid("link", "this confirmation link is not valid or has expired")
    })?;
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"update email_tokens set used_at = now()
            where id = $1 and purpose = 'add_address' and user_id = $2 and used_at is null and expires_at > now()
        returning email"#,
        id,
        user.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::invalid("link", "this confirmation link was used already, or is for another account"))?;
    let taken = sqlx::query_scalar!(
        r#"select user_id from user_emails where lower(email) = lower($1)"#,
        row.email
    )
    .fetch_optional(&mut *tx)
    .await?;
    if taken.is_some_and(|u| u != user.id) {
        return Err(Error::invalid(
            "email",
            "this address is already confirmed by another account",
        ));
    }
    sqlx::query!(
        "insert into user_emails (user_id, email) values ($1, lower($2)) on conflict do nothing",
        user.id,
        row.email
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row.email)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_destinations() {
        assert_eq!(super::safe_next("/claim/abc"), "/claim/abc");
        for bad in ["https://evil.example", "//evil", "/\\evil", "/\tx"] {
            assert_eq!(super::safe_next(bad), "/me/badges");
        }
    }
}
