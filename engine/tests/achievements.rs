//! Achievements: children round trip, validation with field names, unique names per issuer,
//! the wizard's draft → publish, archive and restore, duplicate, delete only when unawarded,
//! the list's search by name and tag.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod common;

use common::{achievement_input, admin, world};
use engine::Error;
use engine::achievement::{self, AchievementListQuery, Status};
use engine::rbac::can;
use sqlx::PgPool;
use uuid::Uuid;

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn achievements_round_trip_with_children(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::ManageAchievements>()?;
    let view = admin().require::<can::ViewAdmin>()?;
    let got = achievement::get(&pool, &view, w.achievement.id).await?;
    assert_eq!(got.fields.result_descriptions[0].required_level, Some(1));
    assert_eq!(got.fields.result_descriptions[0].levels[1].name, "Expert");
    assert_eq!(got.fields.credits_available, Some(2.5));
    assert_eq!(got.fields.valid_for_days, Some(365));
    assert_eq!(
        got.fields.alignments[0].target_type.as_deref(),
        Some("CFItem")
    );
    let mut input = got.fields.clone();
    input.alignments.clear();
    input.name = "SQL Master".into();
    input.achievement_type = Some("ext:Mastery".into());
    let updated = achievement::update(&pool, &w.cache, &auth, got.id, got.version, &input).await?;
    assert!(updated.fields.alignments.is_empty());
    assert_eq!(updated.fields.result_descriptions[0].levels.len(), 2);
    assert!(matches!(
        achievement::update(&pool, &w.cache, &auth, got.id, got.version, &input).await,
        Err(Error::Stale)
    ));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn bad_input_names_the_field(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::ManageAchievements>()?;
    type Change = Box<dyn Fn(&mut achievement::AchievementInput)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|a| a.achievement_type = Some("Trophy".into())),
            "achievement_type",
        ),
        (
            Box::new(|a| a.criteria_narrative = None),
            "criteria_narrative",
        ),
        (
            Box::new(|a| a.alignments[0].target_url = "not a url".into()),
            "alignments",
        ),
        (
            Box::new(|a| a.criteria_url = Some("ftp://x".into())),
            "criteria_url",
        ),
        (Box::new(|a| a.valid_for_days = Some(0)), "valid_for_days"),
        (
            Box::new(|a| a.credits_available = Some(-1.0)),
            "credits_available",
        ),
        (
            Box::new(|a| a.result_descriptions[0].required_level = Some(9)),
            "result_descriptions",
        ),
        (Box::new(|a| a.name = "SQL Pro".into()), "name"),
    ];
    for (change, field) in cases {
        let mut input = achievement_input("Fresh");
        change(&mut input);
        let e = achievement::create(&pool, &auth, w.issuer.id, &input, Status::Active)
            .await
            .unwrap_err();
        assert!(
            matches!(e, Error::Invalid { field: ref f, .. } if f == field),
            "{field}: {e:?}"
        );
    }
    // A Markdown narrative with raw HTML is stored as written and rendered as text.
    let mut html = achievement_input("Html");
    html.criteria_narrative = Some("Do it <script>alert(1)</script> **bold**".into());
    let a = achievement::create(&pool, &auth, w.issuer.id, &html, Status::Active).await?;
    let rendered = engine::markdown::render(a.fields.criteria_narrative.as_deref().unwrap_or(""));
    assert!(
        !rendered.contains("<script") && rendered.contains("<strong>bold</strong>"),
        "{rendered}"
    );
    let e = achievement::create(
        &pool,
        &auth,
        Uuid::now_v7(),
        &achievement_input("x"),
        Status::Active,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, Error::Forbidden { .. } | Error::NotFound { .. }),
        "{e:?}"
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn drafts_publish_archive_restore_and_duplicate(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::ManageAchievements>()?;
    // The wizard's first step saves a draft without criteria.
    let mut basics = achievement_input("Wizard");
    basics.criteria_narrative = None;
    basics.description = String::new();
    let draft = achievement::create_draft(&pool, &auth, w.issuer.id, &basics).await?;
    assert_eq!(draft.status, Status::Draft);
    // Drafts are not public and cannot be published without what an award needs.
    assert!(matches!(
        achievement::public(&pool, &w.cache, draft.id).await,
        Err(Error::NotFound { .. })
    ));
    let e = achievement::publish(&pool, &w.cache, &auth, draft.id, draft.version)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "description"),
        "{e:?}"
    );
    let mut full = basics.clone();
    full.description = "Complete the wizard".into();
    full.criteria_narrative = Some("Do it".into());
    let filled =
        achievement::update(&pool, &w.cache, &auth, draft.id, draft.version, &full).await?;
    let published = achievement::publish(&pool, &w.cache, &auth, filled.id, filled.version).await?;
    assert_eq!(published.status, Status::Active);
    let archived = achievement::archive(&pool, &w.cache, &auth, published.id).await?;
    assert!(archived.status == Status::Archived && archived.archived_at.is_some());
    // An archived name is free again; restoring then collides, and says so.
    let again = achievement::create(&pool, &auth, w.issuer.id, &full, Status::Active).await?;
    let e = achievement::restore(&pool, &w.cache, &auth, archived.id)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "name"),
        "{e:?}"
    );
    achievement::delete(&pool, &w.cache, &auth, again.id).await?;
    achievement::restore(&pool, &w.cache, &auth, archived.id).await?;
    let copy = achievement::duplicate(&pool, &auth, w.achievement.id).await?;
    assert_eq!(copy.fields.name, "Copy of SQL Pro");
    assert_eq!(copy.status, Status::Draft);
    assert_eq!(copy.fields.alignments, w.achievement.fields.alignments);
    let copy2 = achievement::duplicate(&pool, &auth, w.achievement.id).await?;
    assert_eq!(copy2.fields.name, "Copy of SQL Pro (2)");
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn the_list_searches_names_and_tags(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::ManageAchievements>()?;
    let mut alpha = achievement_input("Alpha");
    alpha.tags = vec!["Leadership".into()];
    achievement::create(&pool, &auth, w.issuer.id, &alpha, Status::Active).await?;
    let gone = achievement::create(
        &pool,
        &auth,
        w.issuer.id,
        &achievement_input("Gone"),
        Status::Active,
    )
    .await?;
    achievement::archive(&pool, &w.cache, &auth, gone.id).await?;
    let view = admin().require::<can::ViewAdmin>()?;
    let q = |search: Option<&str>, status: Option<Status>| AchievementListQuery {
        search: search.map(str::to_owned),
        status,
        ..AchievementListQuery::default()
    };
    let names = |p: engine::page::Page<achievement::AchievementSummary>| {
        p.items.into_iter().map(|a| a.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(achievement::list(&pool, &view, w.issuer.id, &q(None, None)).await?),
        ["Alpha", "SQL Pro"]
    );
    assert_eq!(
        names(achievement::list(&pool, &view, w.issuer.id, &q(Some("leadership"), None)).await?),
        ["Alpha"]
    );
    assert_eq!(
        names(achievement::list(&pool, &view, w.issuer.id, &q(Some("sql"), None)).await?),
        ["SQL Pro"]
    );
    assert_eq!(
        names(
            achievement::list(&pool, &view, w.issuer.id, &q(None, Some(Status::Archived))).await?
        ),
        ["Gone"]
    );
    Ok(())
}
