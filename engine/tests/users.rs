//! Users: SCIM-style create/replace/delete, login upsert, concurrency and sessions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod common;

use chrono::{Duration, Utc};
use common::{admin, make_user, user_input};
use engine::Error;
use engine::audit::{self, Entity};
use engine::page::PageRequest;
use engine::session::{self, NewSession};
use engine::user::{self, LoginIdentity, UserFilter, UserInput};
use sqlx::PgPool;

fn login(sub: &str, username: &str) -> LoginIdentity {
    LoginIdentity {
        provider: "https://login.example".into(),
        subject: sub.into(),
        username: username.into(),
        email: Some(format!("{username}@example.org")),
        email_verified: true,
        display_name: Some("From Token".into()),
        ..LoginIdentity::default()
    }
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn create_read_filter_and_audit(pool: PgPool) -> anyhow::Result<()> {
    let u = make_user(&pool, "Ann").await?;
    assert_eq!(u.version, 1);
    assert_eq!(user::get(&pool, &admin().require()?, u.id).await?, u);
    assert_eq!(
        user::find_by_username(&pool, "ANN").await?.map(|x| x.id),
        Some(u.id)
    );
    assert_eq!(
        user::find_by_email(&pool, "ann@EXAMPLE.org")
            .await?
            .map(|x| x.id),
        Some(u.id)
    );
    make_user(&pool, "bert").await?;
    let page = user::list(
        &pool,
        &admin().require()?,
        &UserFilter::Search("ER".into()),
        PageRequest::default(),
    )
    .await?;
    assert_eq!((page.total, page.items[0].username.as_str()), (1, "bert"));
    let all = user::list(
        &pool,
        &admin().require()?,
        &UserFilter::All,
        PageRequest {
            offset: 1,
            limit: 1,
        },
    )
    .await?;
    assert_eq!((all.total, all.items.len()), (2, 1));
    let audits = engine::audit::list(
        &pool,
        &admin().require()?,
        Some(engine::audit::Entity::new("user", u.id)),
        10,
        0,
    )
    .await?;
    assert_eq!(audits.len(), 1);
    assert_eq!(audits[0].action, "user.create");
    assert_eq!(audits[0].actor_label, "test");
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn duplicates_are_typed_conflicts(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require()?;
    make_user(&pool, "ann").await?;
    let e = user::create(&pool, &auth, &user_input("ANN"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Conflict { ref field } if field == "username"),
        "{e:?}"
    );
    let mut other = user_input("other");
    other.email = Some("Ann@Example.ORG".into());
    let e = user::create(&pool, &auth, &other).await.unwrap_err();
    assert!(
        matches!(e, Error::Conflict { ref field } if field == "email"),
        "{e:?}"
    );
    let mut bad = user_input("bad");
    bad.email = Some("not-an-email".into());
    let e = user::create(&pool, &auth, &bad).await.unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "email"),
        "{e:?}"
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn concurrent_creates_make_one_row_and_one_conflict_each(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require()?;
    // Same username, different case and e-mails; then same e-mail, different usernames.
    let inputs: Vec<UserInput> = (0..8)
        .map(|i| {
            let mut u = user_input(if i % 2 == 0 { "race" } else { "RACE" });
            u.email = Some(format!("r{i}@example.org"));
            u
        })
        .collect();
    let results = futures_join(&pool, &auth, inputs).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(Error::Conflict { field }) if field == "username"))
        .count();
    assert_eq!((ok, conflicts), (1, 7), "{results:?}");
    let inputs: Vec<UserInput> = (0..8)
        .map(|i| {
            let mut u = user_input(&format!("mail{i}"));
            u.email = Some("same@example.org".into());
            u
        })
        .collect();
    let results = futures_join(&pool, &auth, inputs).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|r| matches!(r, Err(Error::Conflict { field }) if field == "email"))
        .count();
    assert_eq!((ok, conflicts), (1, 7), "{results:?}");
    let count = user::list(
        &pool,
        &admin().require()?,
        &UserFilter::All,
        PageRequest::default(),
    )
    .await?
    .total;
    assert_eq!(count, 2);
    Ok(())
}

async fn futures_join(
    pool: &PgPool,
    auth: &engine::rbac::CanManageUsers,
    inputs: Vec<UserInput>,
) -> Vec<engine::Result<user::User>> {
    let tasks: Vec<_> = inputs
        .into_iter()
        .map(|input| {
            let pool = pool.clone();
            let auth = auth.clone();
            tokio::spawn(async move { user::create(&pool, &auth, &input).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn replace_uses_optimistic_concurrency(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require()?;
    let u = make_user(&pool, "ann").await?;
    let mut input = UserInput::from_user(&u);
    input.department = Some("Research".into());
    input.emails = vec![serde_json::json!({ "value": "ann@example.org", "primary": true })];
    let v2 = user::replace(&pool, &auth, u.id, Some(1), &input).await?;
    assert_eq!(
        (v2.version, v2.department.as_deref()),
        (2, Some("Research"))
    );
    assert_eq!(v2.emails[0]["primary"], true);
    // A second admin still holding version 1 loses.
    input.department = Some("Sales".into());
    let e = user::replace(&pool, &auth, u.id, Some(1), &input)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Stale));
    let e = user::replace(&pool, &auth, uuid::Uuid::now_v7(), None, &input)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { entity: "user" }));
    Ok(())
}

/// Create and replace audit exactly the rows as stored before and after; deactivation through
/// replace ends the sessions; concurrent replaces without If-Match all land.
#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn writes_audit_the_stored_rows_and_concurrent_replaces_all_land(
    pool: PgPool,
) -> anyhow::Result<()> {
    let auth = admin().require()?;
    let created = make_user(&pool, "ann").await?;
    session::create(
        &pool,
        &NewSession {
            user_id: created.id,
            session_key: "k",
            ip: None,
            user_agent: None,
            expires_at: Utc::now() + Duration::hours(1),
        },
    )
    .await?;
    let mut input = UserInput::from_user(&created);
    input.title = Some("Engineer".into());
    input.active = false;
    let replaced = user::replace(&pool, &auth, created.id, None, &input).await?;
    assert_eq!((replaced.version, replaced.active), (2, false));
    assert!(
        session::find_active(&pool, "k").await?.is_none(),
        "deactivation ends sessions"
    );

    let mut audits = audit::list(
        &pool,
        &admin().require()?,
        Some(Entity::new("user", created.id)),
        10,
        0,
    )
    .await?;
    audits.reverse();
    let as_user = |v: &Option<serde_json::Value>| -> user::User {
        serde_json::from_value(v.clone().expect("a snapshot")).expect("a user row")
    };
    assert_eq!(audits[0].action, "user.create");
    assert!(audits[0].before.is_none());
    assert_eq!(as_user(&audits[0].after), created);
    assert_eq!(audits[1].action, "user.update");
    assert_eq!(as_user(&audits[1].before), created);
    assert_eq!(as_user(&audits[1].after), replaced);

    // Concurrent replaces without If-Match all land, one version each, none lost.
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (pool, mut input) = (pool.clone(), input.clone());
        tasks.push(tokio::spawn(async move {
            input.department = Some(format!("Dept {i}"));
            user::replace(&pool, &admin().require()?, created.id, None, &input).await
        }));
    }
    for t in tasks {
        t.await??;
    }
    let last = user::get(&pool, &admin().require()?, created.id).await?;
    assert_eq!(last.version, 8);
    let updates: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where entity_id = $1 and action = 'user.update'",
    )
    .bind(created.id)
    .fetch_one(&pool)
    .await?;
    assert_eq!(updates, 7);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn soft_delete_frees_names_and_ends_access(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require()?;
    let u = make_user(&pool, "ann").await?;
    let s = session::create(
        &pool,
        &NewSession {
            user_id: u.id,
            session_key: "k1",
            ip: Some("192.0.2.7".parse()?),
            user_agent: Some("test"),
            expires_at: Utc::now() + Duration::hours(1),
        },
    )
    .await?;
    assert_eq!(s.ip, Some("192.0.2.7".parse()?));
    user::delete(&pool, &auth, u.id).await?;
    assert!(matches!(
        user::get(&pool, &admin().require()?, u.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(
        user::get_any(&pool, u.id)
            .await?
            .is_some_and(|x| x.deleted_at.is_some() && !x.active)
    );
    assert!(session::find_active(&pool, "k1").await?.is_none());
    // SCIM may re-create the same userName after a delete.
    let again = make_user(&pool, "ann").await?;
    assert_ne!(again.id, u.id);
    assert!(matches!(
        user::delete(&pool, &auth, u.id).await,
        Err(Error::NotFound { .. })
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn deactivation_revokes_sessions(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require()?;
    let u = make_user(&pool, "ann").await?;
    let new = NewSession {
        user_id: u.id,
        session_key: "k",
        ip: None,
        user_agent: None,
        expires_at: Utc::now() + Duration::hours(1),
    };
    session::create(&pool, &new).await?;
    let u = user::set_active(&pool, &auth, u.id, false, Some(1)).await?;
    assert!(!u.active);
    assert!(session::find_active(&pool, "k").await?.is_none());
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn login_creates_links_and_refuses_disabled(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require()?;
    // New person: an earner account.
    let a = user::upsert_at_login(&pool, &login("sub-1", "new.person")).await?;
    assert_eq!(a.email.as_deref(), Some("new.person@example.org"));
    assert!(a.last_login.is_some());
    // Same subject again: same row.
    let again = user::upsert_at_login(&pool, &login("sub-1", "renamed")).await?;
    assert_eq!(again.id, a.id);
    // SCIM-provisioned user is linked by Entra object id; SCIM data wins over token claims.
    let mut scim = user_input("provisioned");
    scim.external_id = Some("oid-9".into());
    scim.display_name = Some("From SCIM".into());
    let p = user::create(&pool, &auth, &scim).await?;
    let mut claims = login("sub-2", "someone.else");
    claims.external_id = Some("oid-9".into());
    let linked = user::upsert_at_login(&pool, &claims).await?;
    assert_eq!(linked.id, p.id);
    assert_eq!(linked.display_name.as_deref(), Some("From SCIM"));
    assert_eq!(linked.subject.as_deref(), Some("sub-2"));
    // Never linked by the (mutable) preferred_username: a token claiming someone's username
    // gets an account of its own, with no e-mail (the address is taken).
    let q = make_user(&pool, "by.name").await?;
    let mut same_name = login("sub-3", "BY.NAME");
    same_name.email = Some("other@example.org".into());
    assert_ne!(user::upsert_at_login(&pool, &same_name).await?.id, q.id);
    // An unverified e-mail links nothing and is not stored.
    let mut unverified = login("sub-5", "unverified");
    unverified.email = Some("by.name@example.org".into());
    unverified.email_verified = false;
    let u = user::upsert_at_login(&pool, &unverified).await?;
    assert_ne!(u.id, q.id);
    assert_eq!(u.email, None);
    // A verified e-mail links an account that has no sign-in of its own yet …
    let mut verified = login("sub-6", "whoever");
    verified.email = Some("BY.NAME@example.org".into());
    assert_eq!(user::upsert_at_login(&pool, &verified).await?.id, q.id);
    // … but never one that already has another subject.
    let mut takeover = login("sub-7", "intruder");
    takeover.email = Some("by.name@example.org".into());
    assert_ne!(user::upsert_at_login(&pool, &takeover).await?.id, q.id);
    // Deactivated users cannot sign in.
    user::set_active(&pool, &auth, q.id, false, None).await?;
    assert!(matches!(
        user::upsert_at_login(&pool, &login("sub-6", "whoever")).await,
        Err(Error::AccountDisabled)
    ));
    // An e-mail claim that belongs to someone else is not copied (unique e-mail).
    let mut thief = login("sub-4", "thief");
    thief.email = Some("provisioned@example.org".into());
    let thief = user::upsert_at_login(&pool, &thief).await?;
    assert_eq!(thief.email, None);
    assert!(
        engine::earner::addresses(&pool, &thief).await?.is_empty(),
        "nor proven as theirs"
    );
    // Every verified sign-in address is the earner's: badges sent there show in My badges.
    assert_eq!(
        engine::earner::addresses(&pool, &a).await?,
        vec![
            "new.person@example.org".to_owned(),
            "renamed@example.org".to_owned()
        ]
    );
    // Bad claims are Invalid, not panics.
    assert!(matches!(
        user::upsert_at_login(&pool, &login("", "x")).await,
        Err(Error::Invalid { .. })
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn concurrent_first_logins_make_one_user(pool: PgPool) -> anyhow::Result<()> {
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let pool = pool.clone();
            tokio::spawn(
                async move { user::upsert_at_login(&pool, &login("sub-x", "racer")).await },
            )
        })
        .collect();
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        ids.insert(t.await??.id);
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(
        user::list(
            &pool,
            &admin().require()?,
            &UserFilter::All,
            PageRequest::default()
        )
        .await?
        .total,
        1
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn sessions_lifecycle(pool: PgPool) -> anyhow::Result<()> {
    let u = make_user(&pool, "ann").await?;
    let new = |key: &'static str, mins: i64| NewSession {
        user_id: u.id,
        session_key: key,
        ip: Some("2001:db8::1".parse().expect("ip")),
        user_agent: Some("ua"),
        expires_at: Utc::now() + Duration::minutes(mins),
    };
    let a = session::create(&pool, &new("a", 60)).await?;
    session::create(&pool, &new("b", 60)).await?;
    assert!(
        session::find_active(&pool, "a")
            .await?
            .is_some_and(|s| s.id == a.id)
    );
    assert!(session::revoke_by_key(&pool, "a").await?);
    assert!(!session::revoke_by_key(&pool, "a").await?);
    assert_eq!(
        session::list_for_user(&pool, &admin().require()?, u.id, true)
            .await?
            .len(),
        1
    );
    assert_eq!(
        session::list_for_user(&pool, &admin().require()?, u.id, false)
            .await?
            .len(),
        2
    );
    assert_eq!(session::revoke_all(&pool, u.id).await?, 1);
    assert!(matches!(
        session::revoke(&pool, uuid::Uuid::now_v7(), a.id).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        session::purge_ended(&pool, Utc::now() + Duration::hours(2)).await?,
        2
    );
    let e = session::create(&pool, &new("", 60)).await.unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn admin_session_revocations_are_audited(pool: PgPool) -> anyhow::Result<()> {
    let u = make_user(&pool, "ann").await?;
    let new = |key: &'static str| NewSession {
        user_id: u.id,
        session_key: key,
        ip: None,
        user_agent: None,
        expires_at: Utc::now() + Duration::minutes(60),
    };
    let a = session::create(&pool, &new("a")).await?;
    session::create(&pool, &new("b")).await?;
    let auth = admin().require()?;
    session::revoke_by_admin(&pool, &auth, u.id, a.id).await?;
    assert_eq!(session::revoke_all_by_admin(&pool, &auth, u.id).await?, 1);
    // A session that is not the user's: nothing changes and nothing is audited.
    assert!(matches!(
        session::revoke_by_admin(&pool, &auth, uuid::Uuid::now_v7(), a.id).await,
        Err(Error::NotFound { .. })
    ));
    let view = admin().require()?;
    let one = audit::list(&pool, &view, Some(Entity::new("session", a.id)), 10, 0).await?;
    assert_eq!(
        one.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["session.revoke"]
    );
    let all = audit::list(&pool, &view, Some(Entity::new("user", u.id)), 10, 0).await?;
    assert!(all.iter().any(|e| e.action == "user.revoke_sessions"));
    assert!(
        session::list_for_user(&pool, &admin().require()?, u.id, true)
            .await?
            .is_empty()
    );
    Ok(())
}
