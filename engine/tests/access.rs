//! RBAC: principals from direct grants, SCIM groups and token claims; roles, mappings,
//! groups and members, SCIM tokens, OAuth client apps.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod common;

use common::{admin, make_user};
use engine::Error;
use engine::group::{self, GroupFilter, GroupInput};
use engine::page::PageRequest;
use engine::rbac::{self, Permission, can};
use engine::role::{self, RoleInput, RoleSource};
use engine::{client_app, scim_token};
use sqlx::PgPool;

async fn role_id(pool: &PgPool, name: &str) -> anyhow::Result<uuid::Uuid> {
    Ok(role::find_by_name(pool, name)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no role {name}"))?
        .id)
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn built_in_roles_exist_and_are_immutable(pool: PgPool) -> anyhow::Result<()> {
    let roles = role::list(&pool, &admin().require()?).await?;
    let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["admin", "awarder", "issuer_manager", "viewer"]);
    let admin_role = &roles[0];
    assert_eq!(admin_role.permissions.len(), Permission::ALL.len());
    let awarder = &roles[1];
    assert!(
        awarder.permissions.contains(&Permission::Award)
            && awarder.permissions.contains(&Permission::Revoke)
    );
    assert!(!awarder.permissions.contains(&Permission::ManageIssuers));
    let auth = admin().require::<can::ManageRoles>()?;
    let e = role::delete(&pool, &auth, admin_role.id).await.unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "role"));
    let e = role::update(&pool, &auth, admin_role.id, None, &RoleInput::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn custom_roles_crud_with_versions_and_conflicts(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require::<can::ManageRoles>()?;
    let input = RoleInput {
        name: "auditor".into(),
        description: "reads".into(),
        permissions: [Permission::ViewAdmin].into(),
    };
    let r = role::create(&pool, &auth, &input).await?;
    assert_eq!(r.permissions, input.permissions);
    let mut changed = input.clone();
    changed.permissions.insert(Permission::Award);
    let r2 = role::update(&pool, &auth, r.id, Some(r.version), &changed).await?;
    assert_eq!(r2.permissions.len(), 2);
    assert!(matches!(
        role::update(&pool, &auth, r.id, Some(r.version), &changed).await,
        Err(Error::Stale)
    ));
    // Concurrent creates of one name: exactly one row, the rest a Conflict on `name`.
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (pool, auth) = (pool.clone(), auth.clone());
            let input = RoleInput {
                name: if i % 2 == 0 {
                    "Racer".into()
                } else {
                    "racer".into()
                },
                ..RoleInput::default()
            };
            tokio::spawn(async move { role::create(&pool, &auth, &input).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await? {
            Ok(_) => ok += 1,
            Err(Error::Conflict { field }) => assert_eq!(field, "name"),
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    let e = role::create(
        &pool,
        &auth,
        &RoleInput {
            name: "has space".into(),
            ..RoleInput::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "name"));
    role::delete(&pool, &auth, r.id).await?;
    assert!(matches!(
        role::get(&pool, &admin().require()?, r.id).await,
        Err(Error::NotFound { .. })
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn principal_unions_direct_group_and_claim_roles(pool: PgPool) -> anyhow::Result<()> {
    let users = admin().require::<can::ManageUsers>()?;
    let roles = admin().require::<can::ManageRoles>()?;
    let ann = make_user(&pool, "ann").await?;
    // Nothing yet: an earner with no permissions.
    let p = rbac::load_principal(&pool, ann.id, &[], &[]).await?;
    assert!(p.permissions().is_empty());
    assert!(matches!(
        p.require::<can::ViewAdmin>(),
        Err(Error::Forbidden {
            permission: Permission::ViewAdmin
        })
    ));
    // (a) direct grant
    role::grant(&pool, &users, ann.id, role_id(&pool, "viewer").await?).await?;
    // (b) SCIM group mapped by id
    let g = group::create(
        &pool,
        &users,
        &GroupInput {
            display_name: "Awarders".into(),
            external_id: Some("oid-awarders".into()),
            members: vec![ann.id],
        },
    )
    .await?;
    role::map(
        &pool,
        &roles,
        &RoleSource::Group(g.id),
        role_id(&pool, "awarder").await?,
    )
    .await?;
    // (b') SCIM group mapped through its Entra object id
    let g2 = group::create(
        &pool,
        &users,
        &GroupInput {
            display_name: "Managers".into(),
            external_id: Some("oid-managers".into()),
            members: vec![ann.id],
        },
    )
    .await?;
    role::map(
        &pool,
        &roles,
        &RoleSource::Claim("oid-managers".into()),
        role_id(&pool, "issuer_manager").await?,
    )
    .await?;
    let p = rbac::load_principal(&pool, ann.id, &[], &[]).await?;
    assert_eq!(
        p.roles().iter().map(String::as_str).collect::<Vec<_>>(),
        ["awarder", "issuer_manager", "viewer"]
    );
    assert!(p.require::<can::Award>().is_ok() && p.require::<can::ManageIssuers>().is_ok());
    assert!(p.require::<can::ManageUsers>().is_err());
    assert_eq!(p.require::<can::Award>()?.actor().label, "ann");
    // (c) claim values from the ID token (app role name) — no SCIM involved.
    role::map(
        &pool,
        &roles,
        &RoleSource::AppRole("BadgeAdmin".into()),
        role_id(&pool, "admin").await?,
    )
    .await?;
    let bob = make_user(&pool, "bob").await?;
    let p = rbac::load_principal(&pool, bob.id, &["BadgeAdmin".into()], &[]).await?;
    assert!(p.has(Permission::ManageScimTokens));
    // An app-role mapping matches the `roles` claim only: not a `groups` claim with that
    // value, and not a SCIM group a provisioning client named after it.
    let carol = make_user(&pool, "carol").await?;
    let p = rbac::load_principal(&pool, carol.id, &[], &["BadgeAdmin".into()]).await?;
    assert!(!p.has(Permission::ManageScimTokens));
    let sneaky = group::create(
        &pool,
        &users,
        &GroupInput {
            display_name: "Sneaky".into(),
            external_id: Some("BadgeAdmin".into()),
            members: vec![carol.id],
        },
    )
    .await?;
    let p = rbac::load_principal(&pool, carol.id, &[], &[]).await?;
    assert!(!p.has(Permission::ManageScimTokens), "{:?}", p.roles());
    group::delete(&pool, &users, sneaky.id).await?;
    // … and a group mapping does not match the `roles` claim.
    let p = rbac::load_principal(&pool, carol.id, &["oid-managers".into()], &[]).await?;
    assert!(!p.has(Permission::ManageIssuers));
    let p = rbac::load_principal(&pool, bob.id, &[], &["oid-managers".into()]).await?;
    assert!(p.has(Permission::ManageAchievements) && !p.has(Permission::ManageUsers));
    // Removing membership removes the role.
    group::remove_members(&pool, &users, g2.id, &[ann.id]).await?;
    assert!(
        !rbac::load_principal(&pool, ann.id, &[], &[])
            .await?
            .has(Permission::ManageIssuers)
    );
    // Duplicate mapping is a conflict naming the role.
    let e = role::map(
        &pool,
        &roles,
        &RoleSource::Group(g.id),
        role_id(&pool, "awarder").await?,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Conflict { ref field } if field == "role_id"));
    assert_eq!(role::mappings(&pool, &admin().require()?).await?.len(), 3);
    // Disabled users have no principal.
    engine::user::set_active(&pool, &users, ann.id, false, None).await?;
    assert!(matches!(
        rbac::load_principal(&pool, ann.id, &[], &[]).await,
        Err(Error::AccountDisabled)
    ));
    assert!(matches!(
        rbac::load_principal(&pool, uuid::Uuid::now_v7(), &[], &[]).await,
        Err(Error::NotFound { entity: "user" })
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn groups_membership_and_versions(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require::<can::ManageUsers>()?;
    let (a, b, c) = (
        make_user(&pool, "a").await?,
        make_user(&pool, "b").await?,
        make_user(&pool, "c").await?,
    );
    let g = group::create(
        &pool,
        &auth,
        &GroupInput {
            display_name: "Team".into(),
            external_id: None,
            members: vec![a.id, b.id],
        },
    )
    .await?;
    assert_eq!(group::members(&pool, g.id).await?.len(), 2);
    let g = group::add_members(&pool, &auth, g.id, &[b.id, c.id]).await?;
    assert_eq!(
        (g.version, group::members(&pool, g.id).await?.len()),
        (2, 3)
    );
    let g = group::replace(
        &pool,
        &auth,
        g.id,
        Some(2),
        &GroupInput {
            display_name: "Team 2".into(),
            external_id: Some("x".into()),
            members: vec![c.id],
        },
    )
    .await?;
    assert_eq!(
        group::members(&pool, g.id)
            .await?
            .iter()
            .map(|m| m.user_id)
            .collect::<Vec<_>>(),
        [c.id]
    );
    assert!(matches!(
        group::rename(&pool, &auth, g.id, Some(1), "Old", None).await,
        Err(Error::Stale)
    ));
    let g = group::rename(&pool, &auth, g.id, Some(g.version), "Renamed", None).await?;
    assert_eq!(g.external_id.as_deref(), Some("x"));
    assert_eq!(group::groups_of_user(&pool, c.id).await?.len(), 1);
    let found = group::list(
        &pool,
        &GroupFilter::DisplayName("RENAMED".into()),
        PageRequest::default(),
    )
    .await?;
    assert_eq!(found.total, 1);
    assert_eq!(
        group::list(
            &pool,
            &GroupFilter::ExternalId("x".into()),
            PageRequest::default()
        )
        .await?
        .total,
        1
    );
    let e = group::create(
        &pool,
        &auth,
        &GroupInput {
            display_name: "renamed".into(),
            ..GroupInput::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Conflict { ref field } if field == "display_name"));
    let e = group::add_members(&pool, &auth, g.id, &[uuid::Uuid::now_v7()])
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "members"));
    // Soft-deleting a user removes their memberships.
    engine::user::delete(&pool, &auth, c.id).await?;
    assert!(group::members(&pool, g.id).await?.is_empty());
    group::delete(&pool, &auth, g.id).await?;
    assert!(matches!(
        group::get(&pool, g.id).await,
        Err(Error::NotFound { .. })
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn scim_tokens_authenticate_until_revoked(pool: PgPool) -> anyhow::Result<()> {
    let auth = admin().require::<can::ManageScimTokens>()?;
    let created = scim_token::create(&pool, &auth, "entra", None).await?;
    assert!(created.secret.starts_with("scim_") && created.secret.len() > 40);
    assert!(created.secret.starts_with(&created.token.prefix));
    let client = engine::scim::token::authenticate(&pool, &created.secret).await?;
    assert_eq!(client.name(), "entra");
    // The token's capability provisions users, audited as scim:<name>.
    let cap = client.authorize();
    let u = engine::user::create(&pool, &cap, &common::user_input("scimmed")).await?;
    let log = engine::audit::list(
        &pool,
        &admin().require()?,
        Some(engine::audit::Entity::new("user", u.id)),
        5,
        0,
    )
    .await?;
    assert_eq!(log[0].actor_label, "scim:entra");
    assert!(
        scim_token::list(&pool, &auth).await?[0]
            .last_used_at
            .is_some()
    );
    assert!(matches!(
        engine::scim::token::authenticate(&pool, "scim_wrong").await,
        Err(Error::NotFound { .. })
    ));
    scim_token::revoke(&pool, &auth, created.token.id).await?;
    assert!(matches!(
        engine::scim::token::authenticate(&pool, &created.secret).await,
        Err(Error::NotFound { .. })
    ));
    let expired = scim_token::create(
        &pool,
        &auth,
        "old",
        // A wide margin: on a loaded machine the row's `created_at` (database clock, at insert)
        // can trail this value by tens of milliseconds, and expiry must lie after creation.
        Some(chrono::Utc::now() + chrono::Duration::seconds(1)),
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    assert!(
        engine::scim::token::authenticate(&pool, &expired.secret)
            .await
            .is_err()
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn client_apps_and_their_roles(pool: PgPool) -> anyhow::Result<()> {
    use client_app::{ClientRoleInput, role};
    let auth = admin().require::<can::ManageClientApps>()?;
    let owner = make_user(&pool, "owner").await?;
    let created = client_app::create(
        &pool,
        &auth,
        owner.id,
        "LMS",
        "",
        &["https://lms.example/cb".into()],
    )
    .await?;
    assert_eq!(created.app.client_id, created.app.id.to_string());
    let app = client_app::authenticate(&pool, &created.app.client_id, &created.secret).await?;
    assert!(app.last_used_at.is_some());
    assert!(matches!(
        client_app::authenticate(&pool, &app.client_id, "nope").await,
        Err(Error::Unauthenticated { .. })
    ));
    let reader = ClientRoleInput {
        name: "reader".into(),
        permissions: vec![Permission::ViewAdmin],
        ..Default::default()
    };
    let r = role::create(&pool, &auth, app.id, &reader).await?;
    assert_eq!(r.permissions, ["view_admin"]);
    let e = role::create(
        &pool,
        &auth,
        app.id,
        &ClientRoleInput {
            name: "READER".into(),
            ..reader.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Conflict { ref field } if field == "name"));
    let e = role::create(
        &pool,
        &auth,
        app.id,
        &ClientRoleInput {
            name: "root".into(),
            permissions: vec![Permission::ManageUsers],
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "permissions"));
    role::assign(&pool, &auth, r.id, owner.id).await?;
    role::assign(&pool, &auth, r.id, owner.id).await?;
    assert_eq!(
        role::of_user(&pool, &auth, app.id, owner.id).await?,
        ["reader"]
    );
    role::unassign(&pool, &auth, r.id, owner.id).await?;
    assert!(
        role::of_user(&pool, &auth, app.id, owner.id)
            .await?
            .is_empty()
    );
    assert_eq!(role::list(&pool, &auth, app.id).await?.len(), 1);

    // A token carries the roles' permissions and becomes a principal again.
    let kek = engine::signing_key::KeyEncryptionKey::generate();
    let token = client_app::token::issue(&pool, &kek, "https://be.example", &app, None).await?;
    assert_eq!(token.scope, "view_admin");
    let (app_id, principal) =
        client_app::token::verify(&pool, &kek, "https://be.example", &token.access_token).await?;
    assert_eq!(app_id, app.id);
    assert!(principal.require::<can::ViewAdmin>().is_ok());
    assert!(principal.require::<can::Award>().is_err());
    assert!(
        client_app::token::issue(&pool, &kek, "https://be.example", &app, Some("award"))
            .await
            .is_err()
    );
    // Another deployment's token, a tampered one: refused.
    assert!(
        client_app::token::verify(&pool, &kek, "https://other.example", &token.access_token)
            .await
            .is_err()
    );
    let mut forged = token.access_token.clone();
    forged.push('x');
    assert!(
        client_app::token::verify(&pool, &kek, "https://be.example", &forged)
            .await
            .is_err()
    );

    // Rotation keeps the old secret during the overlap only.
    let rotated =
        client_app::rotate_secret(&pool, &auth, app.id, chrono::Duration::hours(1)).await?;
    client_app::authenticate(&pool, &app.client_id, &created.secret).await?;
    client_app::authenticate(&pool, &app.client_id, &rotated.secret).await?;
    let again = client_app::rotate_secret(&pool, &auth, app.id, chrono::Duration::zero()).await?;
    assert!(
        client_app::authenticate(&pool, &app.client_id, &rotated.secret)
            .await
            .is_err()
    );
    client_app::authenticate(&pool, &app.client_id, &again.secret).await?;

    client_app::revoke(&pool, &auth, app.id).await?;
    assert!(
        client_app::authenticate(&pool, &app.client_id, &again.secret)
            .await
            .is_err()
    );
    // Revoking the app ends its tokens at once.
    assert!(matches!(
        client_app::token::verify(&pool, &kek, "https://be.example", &token.access_token).await,
        Err(Error::Unauthenticated { .. })
    ));
    assert_eq!(client_app::list(&pool, &auth).await?.len(), 1);
    let e = client_app::create(&pool, &auth, uuid::Uuid::now_v7(), "x", "", &[])
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "owner_id"));
    let e = client_app::create(
        &pool,
        &auth,
        owner.id,
        "x",
        "",
        &["http://evil.example/cb".into()],
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "redirect_uris"));
    Ok(())
}
