//! W3C Bitstring Status Lists, one series per issuer and purpose. Each award takes the next
//! free index of the issuer's open revocation list and of its suspension list (opening a new
//! list when full) under a row lock; revocation and suspension set the bits. Bits are numbered from the most significant bit of byte 0,
//! as the specification requires; `openbadges` compresses and signs the list for serving.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::cache::{self, Cache};
use crate::error::{Error, Result};

/// Entries per list: the specification's minimum of 131,072 gives herd privacy.
pub const LIST_SIZE: i32 = 131_072;

/// What a set bit means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// Set bit = revoked (permanent).
    Revocation,
    /// Set bit = suspended (reversible).
    Suspension,
}

impl Purpose {
    /// Database / `statusPurpose` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Revocation => "revocation",
            Purpose::Suspension => "suspension",
        }
    }

    fn parse(s: &str) -> Result<Purpose> {
        match s {
            "revocation" => Ok(Purpose::Revocation),
            "suspension" => Ok(Purpose::Suspension),
            _ => Err(Error::internal("unknown status purpose in database")),
        }
    }
}

/// A status list with its uncompressed bitstring.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatusList {
    /// Id (part of the list's public URL).
    pub id: Uuid,
    /// Issuer who signs the list.
    pub issuer_id: Uuid,
    /// Purpose.
    pub purpose: Purpose,
    /// Uncompressed bits, `size / 8` bytes.
    #[serde(with = "b64")]
    pub bitstring: Vec<u8>,
    /// Number of entries.
    pub size: i32,
    /// Entries handed out so far.
    pub next_index: i32,
    /// Bumped on every bit change (ETag).
    pub version: i32,
    /// Created; the issuer key active then signs the list (see [`crate::signer`]).
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl StatusList {
    /// Whether entry `index` is set.
    pub fn is_set(&self, index: i32) -> bool {
        let Ok(i) = usize::try_from(index) else {
            return false;
        };
        self.bitstring
            .get(i / 8)
            .is_some_and(|byte| byte & (0x80 >> (i % 8)) != 0)
    }
}

/// Where a credential's status lives.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct StatusEntry {
    /// List id.
    pub list_id: Uuid,
    /// Index within the list.
    pub index: i32,
    /// Purpose.
    pub purpose: Purpose,
}

mod b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        STANDARD.decode(s).map_err(serde::de::Error::custom)
    }
}

/// Takes `n` consecutive free entries of the issuer's open lists for `purpose` (opening new
/// lists as they fill), on the caller's transaction: one locked update per list touched, so
/// a bulk award of thousands costs a few statements. The row lock is held until commit.
pub(crate) async fn allocate_many(
    conn: &mut PgConnection,
    issuer_id: Uuid,
    purpose: Purpose,
    n: usize,
) -> Result<Vec<StatusEntry>> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let open = sqlx::query!(
            r#"select id, size - next_index as "free!" from status_lists
                where issuer_id = $1 and purpose = $2 and next_index < size
                order by created_at, id
                limit 1
                for update"#,
            issuer_id,
            purpose.as_str()
        )
        .fetch_optional(&mut *conn)
        .await?;
        let (list_id, free) = match open {
            Some(r) => (r.id, r.free),
            None => {
                let id = Uuid::now_v7();
                sqlx::query!(
                    r#"insert into status_lists (id, issuer_id, purpose, bitstring, size)
                       values ($1, $2, $3, $4, $5)"#,
                    id,
                    issuer_id,
                    purpose.as_str(),
                    vec![0u8; (LIST_SIZE / 8) as usize],
                    LIST_SIZE
                )
                .execute(&mut *conn)
                .await?;
                (id, LIST_SIZE)
            }
        };
        let want = i32::try_from(n - out.len()).unwrap_or(i32::MAX);
        let take = want.min(free);
        let start = sqlx::query_scalar!(
            r#"update status_lists set next_index = next_index + $2 where id = $1
               returning next_index - $2 as "start!""#,
            list_id,
            take
        )
        .fetch_one(&mut *conn)
        .await?;
        out.extend((start..start + take).map(|index| StatusEntry {
            list_id,
            index,
            purpose,
        }));
    }
    Ok(out)
}

/// Entries reserved ahead of an award, in a short transaction of their own, so that the
/// award's transaction does not hold the open list's row lock while it signs and stores.
#[derive(Debug, Clone)]
pub(crate) struct Reserved {
    /// The issuer they belong to.
    pub issuer_id: Uuid,
    /// Revocation entries.
    pub revocation: Vec<StatusEntry>,
    /// Suspension entries.
    pub suspension: Vec<StatusEntry>,
}

/// Reserves `n` revocation and `n` suspension entries of `issuer_id` and commits at once. An
/// entry whose award then fails stays unused: its bit stays 0 and nothing refers to it.
pub(crate) async fn reserve(pool: &PgPool, issuer_id: Uuid, n: usize) -> Result<Reserved> {
    let mut tx = pool.begin().await?;
    let revocation = allocate_many(&mut tx, issuer_id, Purpose::Revocation, n).await?;
    let suspension = allocate_many(&mut tx, issuer_id, Purpose::Suspension, n).await?;
    tx.commit().await?;
    Ok(Reserved {
        issuer_id,
        revocation,
        suspension,
    })
}

/// Sets or clears one entry's bit on the caller's transaction.
pub(crate) async fn set_bit(
    conn: &mut PgConnection,
    list_id: Uuid,
    index: i32,
    value: bool,
) -> Result<()> {
    // PostgreSQL's set_bit numbers bits from the least significant bit of each byte;
    // the specification from the most significant one.
    let done = sqlx::query!(
        r#"update status_lists
              set bitstring = set_bit(bitstring, ($2 / 8) * 8 + (7 - $2 % 8), $3),
                  version = version + 1
            where id = $1 and $2 >= 0 and $2 < size"#,
        list_id,
        index,
        i32::from(value)
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound {
            entity: "status list entry",
        });
    }
    Ok(())
}

/// A status list (uncached).
pub async fn get(pool: &PgPool, id: Uuid) -> Result<StatusList> {
    let r = sqlx::query!(
        r#"select id, issuer_id, purpose, bitstring, size, next_index, version, created_at,
                  updated_at
             from status_lists where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound {
        entity: "status list",
    })?;
    Ok(StatusList {
        id: r.id,
        issuer_id: r.issuer_id,
        purpose: Purpose::parse(&r.purpose)?,
        bitstring: r.bitstring,
        size: r.size,
        next_index: r.next_index,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// A status list through the cache (verifiers fetch these constantly).
pub async fn get_cached(pool: &PgPool, cache: &Cache, id: Uuid) -> Result<StatusList> {
    let key = cache::status_list_key(id);
    if let Some(hit) = cache.get_json::<StatusList>(&key).await {
        return Ok(hit);
    }
    let list = get(pool, id).await?;
    cache.put_json(&key, &list, cache::DEFAULT_TTL).await;
    Ok(list)
}

/// Ids of an issuer's lists.
pub async fn list_for_issuer(pool: &PgPool, issuer_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar!(
        "select id from status_lists where issuer_id = $1 order by created_at",
        issuer_id
    )
    .fetch_all(pool)
    .await?)
}
