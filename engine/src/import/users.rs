//! `users` (→ users and, from `providerRoles`, user_roles), `accounts` (the provider/subject
//! link of NextAuth) and `sessions` (counted, not carried over: see the module docs).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::extended_json::{Document, Value, parse_oid};
use super::fields::{self, legacy_uuid};
use super::load::{self, CopyRow, MapResult};
use super::read::{DocumentReader, Item, Position};
use super::{Collection, ImportError, Run, TableCount};

const USER_FIELDS: &[&str] = &[
    "_id",
    "username",
    "email",
    "name",
    "givenName",
    "familyName",
    "provider",
    "providerId",
    "providerRoles",
    "isActive",
    "lastLogin",
    "createdAt",
    "updatedAt",
];

/// The creation time an ObjectId carries (its first four bytes), for rows without `createdAt`.
pub(crate) fn oid_time(object_id: &str) -> Option<DateTime<Utc>> {
    let b = parse_oid(object_id)?;
    DateTime::from_timestamp(i64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])), 0)
}

/// The `roles_name_format` rule.
fn role_name_ok(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn map_user(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let email = fields::opt_str(doc, "email")?
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(e) = email
        && !fields::email_ok(e)
    {
        return Err(format!("email {e:?} is not an e-mail address"));
    }
    let username = match fields::opt_str(doc, "username")?.map(str::trim) {
        Some(u) if !u.is_empty() => u,
        _ => email.ok_or("missing required field username (and no email to use instead)")?,
    };
    let provider = fields::opt_str(doc, "provider")?;
    let subject = fields::opt_str(doc, "providerId")?;
    let (provider, subject) = match (provider, subject) {
        (Some(p), Some(s)) => (Some(p), Some(s)),
        (None, None) => (None, None),
        _ => return Err("provider and providerId must be given together".into()),
    };
    let mut roles: Vec<String> = Vec::new();
    for r in fields::str_array(doc, "providerRoles")? {
        let r = r.trim().to_owned();
        if !role_name_ok(&r) {
            return Err(format!(
                "providerRoles entry {r:?} is not a valid role name"
            ));
        }
        if !roles.iter().any(|x| x.eq_ignore_ascii_case(&r)) {
            roles.push(r);
        }
    }
    let created = fields::opt_date(doc, "createdAt")?
        .or_else(|| oid_time(&oid))
        .unwrap_or_else(Utc::now);
    let updated = fields::opt_date(doc, "updatedAt")?.unwrap_or(created);
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::Users.name(), &oid))
        .text(username)
        .opt_text(email)
        .opt_text(fields::opt_str(doc, "name")?)
        .opt_text(fields::opt_str(doc, "givenName")?)
        .opt_text(fields::opt_str(doc, "familyName")?)
        .opt_text(provider)
        .opt_text(subject)
        .bool(fields::opt_bool(doc, "isActive")?.unwrap_or(true))
        .opt_time(fields::opt_date(doc, "lastLogin")?)
        .time(created)
        .time(updated)
        .array(&roles)
        .json(fields::legacy(doc, USER_FIELDS).as_ref());
    row.end();
    Ok(roles.len() as u64)
}

/// Loads `users` and their `providerRoles`.
pub(super) async fn users(conn: &mut PgConnection, run: &mut Run<'_>) -> Result<(), ImportError> {
    let c = Collection::Users;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_users")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_users (file_line, file_offset, file_len, object_id, id, username, email, \
         display_name, given_name, family_name, identity_provider, subject, active, last_login, \
         created_at, updated_at, roles, legacy) from stdin",
        run,
        map_user,
    )
    .await?;
    // First occurrence wins; later ones, and clashes with users already here, are rejected.
    let bad = sqlx::query!(
        r#"with ranked as (
               select s.file_offset, s.file_line, s.id, s.email, s.username, s.identity_provider, s.subject,
                      first_value(s.file_line) over (partition by s.id order by s.file_offset) as id_line, first_value(s.file_offset) over (partition by s.id order by s.file_offset) as id_offset,
                      first_value(s.file_line) over (partition by lower(s.email) order by s.file_offset) as email_line, first_value(s.file_offset) over (partition by lower(s.email) order by s.file_offset) as email_offset,
                      first_value(s.file_line) over (partition by lower(s.username) order by s.file_offset) as username_line, first_value(s.file_offset) over (partition by lower(s.username) order by s.file_offset) as username_offset,
                      first_value(s.file_line) over (partition by s.identity_provider, s.subject order by s.file_offset) as identity_line, first_value(s.file_offset) over (partition by s.identity_provider, s.subject order by s.file_offset) as identity_offset
                 from import_users s
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when r.email is not null and r.email_offset <> r.file_offset
                       then format('duplicate e-mail %s: the same address, ignoring case, is on line %s', r.email, r.email_line)
                   when r.username_offset <> r.file_offset
                       then format('duplicate username %s: the same name, ignoring case, is on line %s', r.username, r.username_line)
                   when r.subject is not null and r.identity_offset <> r.file_offset
                       then format('provider %s and providerId %s are already on line %s', r.identity_provider, r.subject, r.identity_line)
                   when r.email is not null and exists (select 1 from users u where lower(u.email) = lower(r.email)
                                                        and u.deleted_at is null and u.id <> r.id)
                       then format('e-mail %s already belongs to another user', r.email)
                   when exists (select 1 from users u where lower(u.username) = lower(r.username)
                                and u.deleted_at is null and u.id <> r.id)
                       then format('username %s already belongs to another user', r.username)
                   when r.subject is not null and exists (select 1 from users u where u.identity_provider = r.identity_provider
                                                          and u.subject = r.subject and u.id <> r.id)
                       then 'provider and providerId are already linked to another user'
                   end as reason
                 from ranked r
           )
           delete from import_users s using bad
            where s.file_offset = bad.file_offset and bad.reason is not null
        returning s.file_line, s.file_offset, s.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    run.rejects.reject_rows(
        c,
        bad.into_iter()
            .map(|r| (r.file_line, r.file_offset, r.file_len, r.reason)),
    )?;
    let inserted = sqlx::query!(
        r#"insert into users (id, username, email, display_name, given_name, family_name,
                              identity_provider, subject, active, last_login, created_at, updated_at, legacy)
           select id, username, email, display_name, given_name, family_name, identity_provider, subject,
                  active, last_login, created_at, updated_at, legacy
             from import_users
           on conflict (id) do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    // Role names the old system used that do not exist yet become (permission-less) roles.
    sqlx::query!(
        r#"insert into roles (name, description)
           select distinct on (lower(r.name)) r.name, 'Imported from the MongoDB version (providerRoles)'
             from import_users s cross join unnest(s.roles) as r(name)
            where not exists (select 1 from roles where lower(roles.name) = lower(r.name))
            order by lower(r.name), r.name"#
    )
    .execute(&mut *conn)
    .await?;
    let roles_inserted = sqlx::query!(
        r#"insert into user_roles (user_id, role_id)
           select s.id, ro.id
             from import_users s cross join unnest(s.roles) as r(name)
             join roles ro on lower(ro.name) = lower(r.name)
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'users', object_id, id from import_users
         on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_users) as "users!",
                  (select count(*) from import_users s join users u on u.id = s.id) as "users_present!",
                  (select coalesce(sum(cardinality(roles)), 0) from import_users)::bigint as "links!",
                  (select count(*) from import_users s cross join unnest(s.roles) as r(name)
                     join roles ro on lower(ro.name) = lower(r.name)
                     join user_roles ur on ur.user_id = s.id and ur.role_id = ro.id) as "links_present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "users",
        counts.users,
        inserted,
        counts.users_present,
    ));
    run.table(TableCount::new(
        c,
        "user_roles",
        counts.links,
        roles_inserted,
        counts.links_present,
    ));
    Ok(())
}

fn map_account(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let user = fields::required_reference(doc, "userId", Collection::Users.name())?;
    let provider = fields::required_str(doc, "provider")?;
    let subject = fields::required_str(doc, "providerAccountId")?;
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::Accounts.name(), &oid))
        .uuid(user)
        .text(provider)
        .text(subject)
        .opt_text(fields::opt_str(doc, "type")?);
    row.end();
    Ok(0)
}

/// Loads `accounts`: the first account of a user without a login identity becomes it; every
/// account is also listed in the user's `legacy.accounts`. OAuth tokens are dropped.
pub(super) async fn accounts(
    conn: &mut PgConnection,
    run: &mut Run<'_>,
) -> Result<(), ImportError> {
    let c = Collection::Accounts;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_accounts")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_accounts (file_line, file_offset, file_len, object_id, id, user_id, provider, subject, kind) from stdin",
        run,
        map_account,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select a.*, first_value(a.file_line) over (partition by a.provider, a.subject order by a.file_offset) as first_line, first_value(a.file_offset) over (partition by a.provider, a.subject order by a.file_offset) as first_offset
                 from import_accounts a
           ), bad as (
               select r.file_offset, case
                   when not exists (select 1 from users u where u.id = r.user_id) then 'userId refers to a user that is not in users'
                   when r.first_offset <> r.file_offset then format('provider %s and providerAccountId %s are already on line %s', r.provider, r.subject, r.first_line)
                   when exists (select 1 from users u where u.identity_provider = r.provider and u.subject = r.subject and u.id <> r.user_id)
                       then 'provider and providerAccountId are already linked to another user'
                   end as reason
                 from ranked r
           )
           delete from import_accounts a using bad
            where a.file_offset = bad.file_offset and bad.reason is not null
        returning a.file_line, a.file_offset, a.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    run.rejects.reject_rows(
        c,
        bad.into_iter()
            .map(|r| (r.file_line, r.file_offset, r.file_len, r.reason)),
    )?;
    let linked = sqlx::query!(
        r#"update users u set identity_provider = a.provider, subject = a.subject
             from (select distinct on (user_id) user_id, provider, subject
                     from import_accounts order by user_id, file_offset) a
            where u.id = a.user_id and u.identity_provider is null"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        r#"update users u set legacy = coalesce(u.legacy, '{}') || jsonb_build_object('accounts',
                  coalesce(u.legacy -> 'accounts', '[]') || a.entries)
             from (select user_id, jsonb_agg(jsonb_build_object('provider', provider, 'providerAccountId', subject,
                                             'type', kind) order by file_offset) as entries
                     from import_accounts a
                    where not exists (select 1 from users x where x.id = a.user_id
                                      and x.legacy -> 'accounts' @> jsonb_build_array(jsonb_build_object(
                                          'provider', a.provider, 'providerAccountId', a.subject, 'type', a.kind)))
                    group by user_id) a
            where u.id = a.user_id"#
    )
    .execute(&mut *conn)
    .await?;
    // The mapping points at the user row the account now lives on.
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'accounts', object_id, user_id from import_accounts
         on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_accounts) as "staged!",
                  (select count(*) from import_accounts a join users u on u.id = a.user_id
                    where (u.identity_provider = a.provider and u.subject = a.subject)
                       or u.legacy -> 'accounts' @> jsonb_build_array(jsonb_build_object(
                              'provider', a.provider, 'providerAccountId', a.subject, 'type', a.kind))) as "present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "users (login link)",
        counts.staged,
        linked as u64,
        counts.present,
    ));
    Ok(())
}

/// Reads `sessions`, rejecting malformed ones, and carries none over.
pub(super) async fn sessions(run: &mut Run<'_>) -> Result<(), ImportError> {
    let c = Collection::Sessions;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    let limits = run.limits();
    let scan_path = path.clone();
    let (documents, bad) = tokio::task::spawn_blocking(move || -> Result<_, ImportError> {
        let file = std::fs::File::open(&scan_path).map_err(|e| ImportError::io(&scan_path, e))?;
        let mut reader = DocumentReader::new(std::io::BufReader::new(file), limits.0);
        let mut documents = 0u64;
        let mut bad = Vec::new();
        while let Some(item) = reader
            .next_item()
            .map_err(|e| ImportError::io(&scan_path, e))?
        {
            let (pos, raw, reason) = match item {
                Item::Document(pos, bytes) => {
                    documents += 1;
                    let check = super::extended_json::parse_document(bytes, limits.1)
                        .map_err(|e| e.to_string())
                        .and_then(|d| {
                            fields::object_id(&d)?;
                            fields::required_reference(&d, "userId", Collection::Users.name())?;
                            match d.get("expires") {
                                Some(Value::DateTime(_)) | Some(Value::String(_)) => Ok(()),
                                _ => Err("missing required field expires".to_owned()),
                            }
                        });
                    match check {
                        Ok(()) => continue,
                        Err(reason) => (pos, bytes.to_vec(), reason),
                    }
                }
                Item::Oversized(pos, head) => {
                    documents += 1;
                    (
                        pos,
                        head.to_vec(),
                        "document is larger than the limit".to_owned(),
                    )
                }
                Item::Broken(pos, reason) => (pos, Vec::new(), reason.to_owned()),
            };
            bad.push((pos, reason, raw));
        }
        Ok((documents, bad))
    })
    .await
    .map_err(|e| ImportError::Internal(e.to_string()))??;
    for (pos, reason, raw) in bad {
        run.rejects.reject(c, pos, &reason, &raw)?;
    }
    run.note(c, documents);
    let valid = documents.saturating_sub(run.rejects.count(c)) as i64;
    // Expected 0 rows: old sessions are deliberately not carried over.
    run.table(TableCount {
        collection: c.name(),
        table: "sessions (not carried over)",
        expected: 0,
        inserted: 0,
        present: 0,
        source: valid,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_carry_their_time() {
        assert_eq!(
            oid_time("65920080aaaaaaaaaaaaaaaa").map(|t| t.to_rfc3339()),
            Some("2024-01-01T00:00:00+00:00".into())
        );
        assert!(role_name_ok("issuer_manager") && !role_name_ok("_x") && !role_name_ok("a b"));
    }
}
