//! Issuers: encrypted keys, rotation, KEK rotation, versioned updates and cycles, the tree
//! list with search and scope, did:web identities and their DID documents, per-issuer staff
//! roles and how they scope capabilities.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod common;

use common::{admin, issuer_input, make_user, world, world_with};
use engine::Error;
use engine::cache::Cache;
use engine::issuer::{self, DidMethod, IssuerInput, IssuerListQuery, staff};
use engine::page::PageRequest;
use engine::public_url::PublicUrls;
use engine::rbac::{self, Permission, StaffRole, can};
use engine::signing_key::{self, KeyEncryptionKey};
use sqlx::PgPool;

fn urls() -> PublicUrls {
    PublicUrls::new(common::BASE, true).expect("urls")
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn issuer_gets_an_encrypted_key_that_rotates(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let view = admin().require::<can::ViewAdmin>()?;
    let key = signing_key::active(&pool, &view, w.issuer.id)
        .await?
        .expect("active key");
    assert_eq!(w.issuer.did.as_deref(), Some(key.did().as_str()));
    assert!(key.public_key_multibase.starts_with("z6Mk"));
    assert_eq!(key.fingerprint().split(' ').count(), 16);
    let mut conn = pool.acquire().await?;
    let loaded = signing_key::load_active(&mut conn, &w.kek, w.issuer.id).await?;
    let stored = sqlx::query_scalar!(
        "select encrypted_secret from signing_keys where id = $1",
        key.id
    )
    .fetch_one(&pool)
    .await?;
    assert!(
        !stored
            .windows(32)
            .any(|win| win == loaded.secret.as_bytes())
    );
    assert!(matches!(
        signing_key::load_active(&mut conn, &KeyEncryptionKey::generate(), w.issuer.id).await,
        Err(Error::Unavailable { .. })
    ));
    let auth = admin().require::<can::ManageIssuers>()?;
    let new = issuer::rotate_key(&pool, &w.cache, &auth, &w.kek, w.issuer.id).await?;
    assert_ne!(new.id, key.id);
    let keys = signing_key::list(&pool, &view, w.issuer.id).await?;
    assert_eq!(keys.iter().filter(|k| k.retired_at.is_none()).count(), 1);
    assert_eq!(
        issuer::get(&pool, &view, w.issuer.id).await?.did,
        Some(new.did())
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn kek_rotation_rewraps_every_secret(pool: PgPool) -> anyhow::Result<()> {
    let old_hex = "11".repeat(32);
    let old = KeyEncryptionKey::parse(&old_hex)?;
    let auth = admin().require::<can::ManageIssuers>()?;
    let a = issuer::create(
        &pool,
        &auth,
        &old,
        &urls(),
        &issuer_input("A"),
        DidMethod::Key,
    )
    .await?;
    issuer::create(
        &pool,
        &auth,
        &old,
        &urls(),
        &issuer_input("B"),
        DidMethod::Key,
    )
    .await?;
    let new = KeyEncryptionKey::parse(&"22".repeat(32))?.with_previous(&old_hex)?;
    assert_eq!(signing_key::rewrap_all(&pool, &new).await?, 2);
    assert_eq!(signing_key::rewrap_all(&pool, &new).await?, 0);
    let only_new = KeyEncryptionKey::parse(&"22".repeat(32))?;
    let mut conn = pool.acquire().await?;
    signing_key::load_active(&mut conn, &only_new, a.id).await?;
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn updates_are_versioned_and_cycles_refused(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::ManageIssuers>()?;
    let cache = Cache::disabled();
    let parent = issuer::create(
        &pool,
        &auth,
        &w.kek,
        &urls(),
        &issuer_input("Parent"),
        DidMethod::Key,
    )
    .await?;
    let mut input = issuer_input("Acme Renamed");
    input.parent_id = Some(parent.id);
    let v = w.issuer.version;
    let updated = issuer::update(&pool, &cache, &auth, w.issuer.id, v, &input).await?;
    assert_eq!(
        (updated.name.as_str(), updated.parent_id),
        ("Acme Renamed", Some(parent.id))
    );
    // A second editor who opened the form before the first saved is told, not overwritten.
    assert!(matches!(
        issuer::update(
            &pool,
            &cache,
            &auth,
            w.issuer.id,
            v,
            &issuer_input("Lost update")
        )
        .await,
        Err(Error::Stale)
    ));
    let mut cyc = issuer_input("Parent");
    cyc.parent_id = Some(w.issuer.id);
    let e = issuer::update(&pool, &cache, &auth, parent.id, parent.version, &cyc)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "parent_id"),
        "{e:?}"
    );
    for (bad, field) in [
        (
            IssuerInput {
                name: " ".into(),
                ..IssuerInput::default()
            },
            "name",
        ),
        (
            IssuerInput {
                url: Some("example.org".into()),
                ..issuer_input("X")
            },
            "url",
        ),
        (
            IssuerInput {
                email: Some("not mail".into()),
                ..issuer_input("X")
            },
            "email",
        ),
        (
            IssuerInput {
                name: "x".repeat(501),
                ..IssuerInput::default()
            },
            "name",
        ),
    ] {
        let e = issuer::create(&pool, &auth, &w.kek, &urls(), &bad, DidMethod::Key)
            .await
            .unwrap_err();
        assert!(
            matches!(e, Error::Invalid { field: ref f, .. } if f == field),
            "{field}: {e:?}"
        );
    }
    // An issuer with achievements cannot be deleted; a bare one can (its keys go with it).
    let e = issuer::delete(&pool, &cache, &auth, w.issuer.id)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e:?}");
    let lonely = issuer::create(
        &pool,
        &auth,
        &w.kek,
        &urls(),
        &issuer_input("Lonely"),
        DidMethod::Key,
    )
    .await?;
    issuer::delete(&pool, &cache, &auth, lonely.id).await?;
    let view = admin().require::<can::ViewAdmin>()?;
    assert!(signing_key::list(&pool, &view, lonely.id).await?.is_empty());
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn the_list_is_a_tree_with_search_and_paging(pool: PgPool) -> anyhow::Result<()> {
    let kek = KeyEncryptionKey::generate();
    let auth = admin().require::<can::ManageIssuers>()?;
    let make = |name: &'static str, parent: Option<uuid::Uuid>| {
        let kek = kek.clone();
        let auth = auth.clone();
        let pool = pool.clone();
        async move {
            let mut input = issuer_input(name);
            input.parent_id = parent;
            issuer::create(&pool, &auth, &kek, &urls(), &input, DidMethod::Key).await
        }
    };
    let uni = make("University", None).await?;
    let cs = make("Computer Science", Some(uni.id)).await?;
    make("Biology", Some(uni.id)).await?;
    make("Databases Lab", Some(cs.id)).await?;
    make("Another Org", None).await?;
    let view = admin().require::<can::ViewAdmin>()?;
    let all = issuer::list(&pool, &view, &IssuerListQuery::default()).await?;
    let shape: Vec<(String, i32)> = all
        .items
        .iter()
        .map(|r| (r.name.clone(), r.depth))
        .collect();
    assert_eq!(
        shape,
        [
            ("Another Org".to_owned(), 0),
            ("University".to_owned(), 0),
            ("Biology".to_owned(), 1),
            ("Computer Science".to_owned(), 1),
            ("Databases Lab".to_owned(), 2),
        ]
    );
    assert_eq!(all.total, 5);
    let found = issuer::list(
        &pool,
        &view,
        &IssuerListQuery {
            search: Some("lab".into()),
            ..IssuerListQuery::default()
        },
    )
    .await?;
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].ancestors, ["University", "Computer Science"]);
    let page = issuer::list(
        &pool,
        &view,
        &IssuerListQuery {
            page: PageRequest {
                offset: 2,
                limit: 2,
            },
            ..IssuerListQuery::default()
        },
    )
    .await?;
    assert_eq!(
        page.items
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["Biology", "Computer Science"]
    );
    assert_eq!(page.total, 5);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn did_web_issuers_keep_their_did_and_list_every_key(pool: PgPool) -> anyhow::Result<()> {
    let w = world_with(&pool, DidMethod::Web).await?;
    let did = w.issuer.did.clone().expect("did");
    assert_eq!(
        did,
        format!("did:web:127.0.0.1%3A3000:issuers:{}", w.issuer.id)
    );
    let auth = admin().require::<can::ManageIssuers>()?;
    issuer::rotate_key(&pool, &w.cache, &auth, &w.kek, w.issuer.id).await?;
    let view = admin().require::<can::ViewAdmin>()?;
    assert_eq!(
        issuer::get(&pool, &view, w.issuer.id).await?.did.as_deref(),
        Some(did.as_str())
    );
    let doc = issuer::did_document(&pool, &w.cache, w.issuer.id).await?;
    assert_eq!(doc["id"], did.as_str());
    let methods = doc["verificationMethod"].as_array().expect("methods");
    assert_eq!(methods.len(), 2, "{doc:#}");
    assert_eq!(doc["assertionMethod"].as_array().map(Vec::len), Some(2));
    assert!(
        methods
            .iter()
            .all(|m| m["controller"] == did.as_str() && m["type"] == "Multikey")
    );
    // did:key issuers have no document; did:web needs the deployment to allow it.
    let k = world(&pool).await?;
    assert!(matches!(
        issuer::did_document(&pool, &k.cache, k.issuer.id).await,
        Err(Error::NotFound { .. })
    ));
    let no_web = PublicUrls::new("https://badges.example", false)?;
    let e = issuer::create(
        &pool,
        &auth,
        &w.kek,
        &no_web,
        &issuer_input("W"),
        DidMethod::Web,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "did_method"),
        "{e:?}"
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn staff_roles_scope_capabilities_to_their_issuer_tree(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let manage = admin().require::<can::ManageIssuers>()?;
    let mut dept = issuer_input("Dept of Acme");
    dept.parent_id = Some(w.issuer.id);
    let dept = issuer::create(&pool, &manage, &w.kek, &urls(), &dept, DidMethod::Key).await?;
    let other = issuer::create(
        &pool,
        &manage,
        &w.kek,
        &urls(),
        &issuer_input("Other"),
        DidMethod::Key,
    )
    .await?;
    let ann = make_user(&pool, "ann").await?;
    let bob = make_user(&pool, "bob").await?;
    staff::grant(
        &pool,
        &manage,
        w.issuer.id,
        StaffRole::Awarder,
        staff::GranteeRef::User(ann.id),
    )
    .await?;
    // Granting the same role twice says so.
    let e = staff::grant(
        &pool,
        &manage,
        w.issuer.id,
        StaffRole::Awarder,
        staff::GranteeRef::User(ann.id),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e:?}");
    // Through a group: bob is in "Acme owners", which owns Acme.
    let group = engine::group::create(
        &pool,
        &admin().require()?,
        &engine::group::GroupInput {
            display_name: "Acme owners".into(),
            external_id: Some("entra-acme-owners".into()),
            members: vec![bob.id],
        },
    )
    .await?;
    staff::grant(
        &pool,
        &manage,
        w.issuer.id,
        StaffRole::Owner,
        staff::GranteeRef::Group(group.id),
    )
    .await?;

    let ann_p = rbac::load_principal(&pool, ann.id, &[], &[]).await?;
    assert!(ann_p.has(Permission::Award) && !ann_p.has_global(Permission::Award));
    let award = ann_p.require::<can::Award>()?;
    assert!(award.covers(w.issuer.id) && award.covers(dept.id) && !award.covers(other.id));
    assert!(ann_p.require::<can::ManageAchievements>().is_err());
    // The owner may edit their issuer and add departments, not other issuers or top level.
    let bob_p = rbac::load_principal(&pool, bob.id, &[], &[]).await?;
    let bob_manage = bob_p.require::<can::ManageIssuers>()?;
    let cache = Cache::disabled();
    let fresh = issuer::get(&pool, &admin().require()?, w.issuer.id).await?;
    issuer::update(
        &pool,
        &cache,
        &bob_manage,
        w.issuer.id,
        fresh.version,
        &issuer_input("Acme Inc"),
    )
    .await?;
    let e = issuer::update(
        &pool,
        &cache,
        &bob_manage,
        other.id,
        other.version,
        &issuer_input("Mine"),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
    let e = issuer::create(
        &pool,
        &bob_manage,
        &w.kek,
        &urls(),
        &issuer_input("Top"),
        DidMethod::Key,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
    let mut sub = issuer_input("New dept");
    sub.parent_id = Some(w.issuer.id);
    issuer::create(&pool, &bob_manage, &w.kek, &urls(), &sub, DidMethod::Key).await?;
    // Scoped reads: the list shows only their tree; other issuers are refused.
    let bob_view = bob_p.require::<can::ViewAdmin>()?;
    let listed = issuer::list(&pool, &bob_view, &IssuerListQuery::default()).await?;
    assert!(listed.items.iter().all(|r| r.name != "Other"));
    assert_eq!(listed.items[0].name, "Acme Inc");
    assert!(matches!(
        issuer::get(&pool, &bob_view, other.id).await,
        Err(Error::Forbidden { .. })
    ));
    // Membership through the token's groups claim counts too, and the grants can be listed
    // and revoked.
    let carl = make_user(&pool, "carl").await?;
    let carl_p = rbac::load_principal(&pool, carl.id, &[], &["entra-acme-owners".into()]).await?;
    assert!(carl_p.require::<can::ManageIssuers>()?.covers(w.issuer.id));
    let grants = staff::list(&pool, &admin().require()?, w.issuer.id).await?;
    assert_eq!(grants.len(), 2);
    assert_eq!(grants[0].role, StaffRole::Owner);
    for g in grants {
        staff::revoke(&pool, &manage, g.id).await?;
    }
    assert!(
        !rbac::load_principal(&pool, ann.id, &[], &[])
            .await?
            .has(Permission::Award)
    );
    // Picking a grantee by name or e-mail.
    let found = staff::search_grantees(&pool, &manage, w.issuer.id, "ANN@").await?;
    assert_eq!(found.len(), 1);
    Ok(())
}
