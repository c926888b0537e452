//! `oauthClientApps` (→ oauth_client_apps, keeping `clientId` and the old secret hash) and
//! `oauthRoles` (→ client_roles, and `oauthUserIds` → client_role_users).

use chrono::Utc;
use sqlx::PgConnection;

use super::extended_json::{Document, Value};
use super::fields::{self, legacy_uuid};
use super::load::{self, CopyRow, MapResult};
use super::read::Position;
use super::users::oid_time;
use super::{Collection, ImportError, Run, TableCount};

const APP_FIELDS: &[&str] = &[
    "_id",
    "name",
    "clientId",
    "clientSecretHash",
    "redirectUris",
    "owner",
    "createdAt",
];
const ROLE_FIELDS: &[&str] = &["_id", "clientApp", "name", "description", "oauthUserIds"];

/// The algorithm of a stored secret hash, as `oauth_client_apps.legacy_secret_algorithm`
/// names it: a bcrypt string (`$2a$`/`$2b$`/`$2y$`, 60 characters) or hex SHA-256.
pub(crate) fn secret_algorithm(hash: &str) -> Option<&'static str> {
    let bcrypt = hash.len() == 60
        && ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p))
        && hash.as_bytes().get(6) == Some(&b'$');
    if bcrypt {
        Some("bcrypt")
    } else if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some("sha256")
    } else {
        None
    }
}

fn map_app(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let name = fields::required_str(doc, "name")?.trim();
    let client_id = fields::required_str(doc, "clientId")?.trim();
    let hash = fields::required_str(doc, "clientSecretHash")?.trim();
    let algorithm = secret_algorithm(hash)
        .ok_or("clientSecretHash is neither a bcrypt hash nor 64 hex digits of SHA-256")?;
    let owner = fields::required_reference(doc, "owner", Collection::Users.name())?;
    let created = fields::opt_date(doc, "createdAt")?
        .or_else(|| oid_time(&oid))
        .unwrap_or_else(Utc::now);
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::OauthClientApps.name(), &oid))
        .uuid(owner)
        .text(name)
        .text(client_id)
        .text(hash)
        .text(algorithm)
        .array(&fields::str_array(doc, "redirectUris")?)
        .time(created)
        .json(fields::legacy(doc, APP_FIELDS).as_ref());
    row.end();
    Ok(0)
}

/// Loads `oauthClientApps`.
pub(super) async fn apps(conn: &mut PgConnection, run: &mut Run<'_>) -> Result<(), ImportError> {
    let c = Collection::OauthClientApps;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_client_apps")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_client_apps (file_line, file_offset, file_len, object_id, id, owner_id, name, client_id, \
         legacy_secret_hash, legacy_secret_algorithm, redirect_uris, created_at, legacy) from stdin",
        run,
        map_app,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select a.file_offset, a.file_line, a.id, a.owner_id, a.client_id,
                      first_value(a.file_line) over (partition by a.id order by a.file_offset) as id_line, first_value(a.file_offset) over (partition by a.id order by a.file_offset) as id_offset,
                      first_value(a.file_line) over (partition by a.client_id order by a.file_offset) as client_line, first_value(a.file_offset) over (partition by a.client_id order by a.file_offset) as client_offset
                 from import_client_apps a
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when r.client_offset <> r.file_offset then format('duplicate clientId %s (first on line %s)', r.client_id, r.client_line)
                   when not exists (select 1 from users u where u.id = r.owner_id) then 'owner refers to a user that is not in users'
                   when exists (select 1 from oauth_client_apps o where o.client_id = r.client_id and o.id <> r.id)
                       then format('clientId %s already belongs to another client app', r.client_id)
                   end as reason
                 from ranked r
           )
           delete from import_client_apps a using bad
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
    let inserted = sqlx::query!(
        r#"insert into oauth_client_apps (id, owner_id, name, client_id, secret_prefix, legacy_secret_hash,
                                          legacy_secret_algorithm, redirect_uris, created_at, updated_at, legacy)
           select id, owner_id, name, client_id, 'imported', legacy_secret_hash, legacy_secret_algorithm,
                  redirect_uris, created_at, created_at, legacy
             from import_client_apps
           on conflict (id) do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'oauthClientApps', object_id, id
           from import_client_apps on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_client_apps) as "staged!",
                  (select count(*) from import_client_apps s join oauth_client_apps o on o.id = s.id) as "present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "oauth_client_apps",
        counts.staged,
        inserted,
        counts.present,
    ));
    Ok(())
}

fn map_role(doc: &Document, pos: Position, row: &mut CopyRow<'_>) -> MapResult {
    let oid = fields::object_id(doc)?;
    let app = fields::required_reference(doc, "clientApp", Collection::OauthClientApps.name())?;
    let name = fields::required_str(doc, "name")?.trim();
    let mut users: Vec<String> = Vec::new();
    match doc.get("oauthUserIds") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                let id = fields::reference_value(v, Collection::Users.name())
                    .ok_or_else(|| format!("oauthUserIds[{i}] is not an ObjectId"))?
                    .to_string();
                if !users.contains(&id) {
                    users.push(id);
                }
            }
        }
        Some(_) => return Err("oauthUserIds is not an array".into()),
    }
    load::position(row, pos);
    row.text(&oid)
        .uuid(legacy_uuid(Collection::OauthRoles.name(), &oid))
        .uuid(app)
        .text(name)
        .text(fields::opt_str(doc, "description")?.unwrap_or(""))
        .array(&users)
        .json(fields::legacy(doc, ROLE_FIELDS).as_ref());
    row.end();
    Ok(users.len() as u64)
}

/// Loads `oauthRoles` and their users.
pub(super) async fn roles(conn: &mut PgConnection, run: &mut Run<'_>) -> Result<(), ImportError> {
    let c = Collection::OauthRoles;
    let Some(path) = run.file(c) else {
        return Ok(());
    };
    sqlx::query!("truncate import_client_roles")
        .execute(&mut *conn)
        .await?;
    let staged = load::stage(
        conn,
        c,
        &path,
        "copy import_client_roles (file_line, file_offset, file_len, object_id, id, client_app_id, name, \
         description, user_ids, legacy) from stdin",
        run,
        map_role,
    )
    .await?;
    let bad = sqlx::query!(
        r#"with ranked as (
               select r.file_offset, r.file_line, r.id, r.client_app_id, r.name,
                      first_value(r.file_line) over (partition by r.id order by r.file_offset) as id_line, first_value(r.file_offset) over (partition by r.id order by r.file_offset) as id_offset,
                      first_value(r.file_line) over (partition by r.client_app_id, lower(r.name) order by r.file_offset) as name_line, first_value(r.file_offset) over (partition by r.client_app_id, lower(r.name) order by r.file_offset) as name_offset
                 from import_client_roles r
           ), bad as (
               select r.file_offset, case
                   when r.id_offset <> r.file_offset then format('duplicate _id (first on line %s)', r.id_line)
                   when not exists (select 1 from oauth_client_apps a where a.id = r.client_app_id)
                       then 'clientApp refers to a client app that is not in oauthClientApps'
                   when r.name_offset <> r.file_offset then format('duplicate role %s of the same app (first on line %s)', r.name, r.name_line)
                   when exists (select 1 from client_roles x where x.client_id = r.client_app_id
                                and lower(x.name) = lower(r.name) and x.id <> r.id)
                       then format('the app already has a role %s', r.name)
                   end as reason
                 from ranked r
           )
           delete from import_client_roles r using bad
            where r.file_offset = bad.file_offset and bad.reason is not null
        returning r.file_line, r.file_offset, r.file_len, bad.reason as "reason!""#
    )
    .fetch_all(&mut *conn)
    .await?;
    run.rejects.reject_rows(
        c,
        bad.into_iter()
            .map(|r| (r.file_line, r.file_offset, r.file_len, r.reason)),
    )?;
    // A user id that does not exist drops that one link (reported), not the role.
    let dangling = sqlx::query!(
        r#"select r.file_line, r.file_offset, r.file_len,
                  format('oauthUserIds entry %s refers to a user that is not in users', u.id) as "reason!"
             from import_client_roles r cross join unnest(r.user_ids) as u(id)
            where not exists (select 1 from users x where x.id = u.id)
            order by r.file_offset"#
    )
    .fetch_all(&mut *conn)
    .await?;
    run.rejects.reject_rows(
        c,
        dangling
            .into_iter()
            .map(|r| (r.file_line, r.file_offset, r.file_len, r.reason)),
    )?;
    let inserted = sqlx::query!(
        r#"insert into client_roles (id, client_id, name, description, legacy)
           select id, client_app_id, name, description, legacy from import_client_roles
           on conflict (id) do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let links_inserted = sqlx::query!(
        r#"insert into client_role_users (client_role_id, user_id)
           select r.id, u.id from import_client_roles r cross join unnest(r.user_ids) as u(id)
            where exists (select 1 from users x where x.id = u.id)
           on conflict do nothing"#
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "insert into legacy_ids (collection, object_id, id) select 'oauthRoles', object_id, id
           from import_client_roles on conflict do nothing"
    )
    .execute(&mut *conn)
    .await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from import_client_roles) as "staged!",
                  (select count(*) from import_client_roles s join client_roles r on r.id = s.id) as "present!",
                  (select count(*) from import_client_roles r cross join unnest(r.user_ids) as u(id)
                    where exists (select 1 from users x where x.id = u.id)) as "links!",
                  (select count(*) from import_client_roles r cross join unnest(r.user_ids) as u(id)
                     join client_role_users cru on cru.client_role_id = r.id and cru.user_id = u.id) as "links_present!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    run.note(c, staged.documents);
    run.table(TableCount::new(
        c,
        "client_roles",
        counts.staged,
        inserted,
        counts.present,
    ));
    run.table(TableCount::new(
        c,
        "client_role_users",
        counts.links,
        links_inserted,
        counts.links_present,
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hash_formats() {
        let bcrypt = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
        assert_eq!(secret_algorithm(bcrypt), Some("bcrypt"));
        assert_eq!(secret_algorithm(&"ab".repeat(32)), Some("sha256"));
        assert_eq!(secret_algorithm("plain"), None);
    }
}
