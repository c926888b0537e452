//! `engine::import` against real PostgreSQL, on fixtures in real `mongoexport` shapes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

#[path = "support/mongo_fixtures.rs"]
mod fixtures;

use engine::import::{self, ImportError, NoProgress, Options, Reject};
use engine::rbac::{Principal, can};
use engine::signing_key::KeyEncryptionKey;
use fixtures::{Layout, Mode, Spec};
use openbadges::verify::{Outcome, VerifyOptions, verify_json};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

fn options(dir: &std::path::Path) -> Options {
    let mut o = Options::new(dir);
    o.read_limits.max_document_bytes = 64 * 1024;
    o
}

async fn import(
    pool: &PgPool,
    kek: &KeyEncryptionKey,
    o: &Options,
) -> Result<import::Report, ImportError> {
    let auth = Principal::bypass_for_system_task("test:import").require::<can::ImportData>()?;
    import::run(pool, &auth, kek, o, &NoProgress).await
}

/// Rows per table and a digest of their content, to prove a re-run changes nothing.
async fn snapshot(pool: &PgPool) -> anyhow::Result<Vec<(String, i64, String)>> {
    let mut out = Vec::new();
    for (table, key) in [
        ("users", "id"),
        ("user_roles", "user_id, role_id"),
        ("roles", "id"),
        ("oauth_client_apps", "id"),
        ("client_roles", "id"),
        ("client_role_users", "client_role_id, user_id"),
        ("issuers", "id"),
        ("signing_keys", "id"),
        ("achievements", "id"),
        ("achievement_alignments", "id"),
        ("achievement_result_descriptions", "id"),
        ("rubric_criterion_levels", "id"),
        ("credentials", "id"),
        ("endorsements", "id"),
        ("legacy_ids", "collection, object_id"),
    ] {
        // Test-only dynamic SQL over a fixed list of our own table names.
        let sql = format!(
            "select count(*), coalesce(md5(string_agg(t::text, '|' order by {key})), '') from {table} t"
        );
        let (n, digest): (i64, String) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await?;
        out.push((table.to_owned(), n, digest));
    }
    Ok(out)
}

fn count(report: &import::Report, table: &str) -> i64 {
    report
        .tables
        .iter()
        .find(|t| t.table == table)
        .map_or(-1, |t| t.present)
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn round_trip_rejects_and_idempotency(pool: PgPool) -> anyhow::Result<()> {
    let dir = tempdir("round-trip");
    let mut spec = Spec::small(Layout::Lines, Mode::Relaxed);
    spec.bad_records = true;
    let f = fixtures::write(&dir, &spec)?;
    let kek = KeyEncryptionKey::generate();
    let mut o = options(&dir);
    let rejects_path = dir.join("rejects.jsonl");
    o.rejects = Some(rejects_path.clone());

    let report = import(&pool, &kek, &o).await?;
    assert!(report.is_consistent(), "{report:#?}");
    assert_eq!(count(&report, "users"), f.users as i64);
    assert_eq!(count(&report, "user_roles"), f.role_links as i64);
    assert_eq!(count(&report, "oauth_client_apps"), f.client_apps as i64);
    assert_eq!(count(&report, "client_roles"), f.client_roles as i64);
    assert_eq!(
        count(&report, "client_role_users"),
        f.client_role_users as i64
    );
    assert_eq!(count(&report, "issuers"), f.issuers as i64);
    assert_eq!(count(&report, "signing_keys"), 1);
    assert_eq!(count(&report, "achievements"), f.achievements as i64);
    assert_eq!(count(&report, "achievement_alignments"), 4);
    assert_eq!(count(&report, "credentials"), f.credentials as i64);
    assert_eq!(count(&report, "endorsements"), 1);
    assert!(report.foreign_keys.iter().all(|k| k.orphans == 0));

    // Every bad record is in the rejects file with its file, line, reason and raw text.
    let rejects: Vec<Reject> = std::fs::read_to_string(&rejects_path)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    assert_eq!(rejects.len(), f.bad_records, "{rejects:#?}");
    let reason = |needle: &str| rejects.iter().find(|r| r.reason.contains(needle));
    let dup = reason("duplicate e-mail").expect("duplicate e-mail rejected");
    assert_eq!(
        (dup.file.as_str(), dup.line),
        ("users.json", f.users as u64 + 2)
    );
    assert!(dup.record.contains("USER0@Example.org") && dup.reason.contains("line 1"));
    assert!(reason("missing required field username").is_some());
    assert!(reason("malformed Extended JSON $oid").is_some());
    assert!(reason("nested deeper than 100").is_some());
    assert!(reason("larger than the limit").is_some_and(|r| r.record.len() <= 1024));
    assert!(reason("owner refers to a user").is_some_and(|r| r.file == "oauthClientApps.json"));
    assert!(reason("oauthUserIds entry").is_some_and(|r| r.file == "oauthRoles.json"));
    assert!(
        reason("achievementId refers to an achievement")
            .is_some_and(|r| r.file == "AchievementCredential.json")
    );

    // Relationships: roles (an unknown old role became a role), client roles, apps, keys.
    let admins: i64 = sqlx::query_scalar(
        "select count(*) from user_roles ur join roles r on r.id = ur.role_id where r.name = 'admin'",
    )
    .fetch_one(&pool)
    .await?;
    assert!(admins > 0);
    let custom: bool =
        sqlx::query_scalar("select not built_in from roles where name = 'legacy-editor'")
            .fetch_one(&pool)
            .await?;
    assert!(custom);
    let (client_id, secret) = &f.app_secret;
    let (hash, algorithm): (String, String) = sqlx::query_as(
        "select legacy_secret_hash, legacy_secret_algorithm from oauth_client_apps where client_id = $1",
    )
    .bind(client_id)
    .fetch_one(&pool)
    .await?;
    assert_eq!(
        (hash.as_str(), algorithm.as_str()),
        (hex(&Sha256::digest(secret.as_bytes())).as_str(), "sha256")
    );
    let bcrypt: String = sqlx::query_scalar(
        "select legacy_secret_algorithm from oauth_client_apps where client_id = 'lms-client'",
    )
    .fetch_one(&pool)
    .await?;
    assert_eq!(bcrypt, "bcrypt");
    // The old key is sealed at rest, belongs to the first profile and decrypts to the same key.
    let issuer = import::legacy_uuid("Profile", &fixtures::oid(8, 0));
    let active =
        engine::signing_key::load_active(&mut *pool.acquire().await?, &kek, issuer).await?;
    assert_eq!(active.info.public_key_multibase, f.old_key);
    let parent: Option<uuid::Uuid> =
        sqlx::query_scalar("select parent_id from issuers where id = $1")
            .bind(import::legacy_uuid("Profile", &fixtures::oid(8, 1)))
            .fetch_one(&pool)
            .await?;
    assert_eq!(parent, Some(issuer));
    let legacy: serde_json::Value =
        sqlx::query_scalar("select legacy from users where username = 'user0'")
            .fetch_one(&pool)
            .await?;
    assert_eq!(legacy["favouriteColour"], "teal");
    assert_eq!(legacy["accounts"][0]["provider"], "auth0");
    let linked: i64 =
        sqlx::query_scalar("select count(*) from credentials where recipient_user_id is not null")
            .fetch_one(&pool)
            .await?;
    assert_eq!(linked, f.credentials as i64);
    let required: bool = sqlx::query_scalar(
        "select required_level_id is not null from achievement_result_descriptions",
    )
    .fetch_one(&pool)
    .await?;
    assert!(required);

    // A second run changes nothing.
    let before = snapshot(&pool).await?;
    let again = import(&pool, &kek, &o).await?;
    assert_eq!(again.inserted(), 0, "{again:#?}");
    assert!(again.is_consistent());
    assert_eq!(snapshot(&pool).await?, before);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn imported_credentials_are_served_byte_for_byte_and_verify_as_before(
    pool: PgPool,
) -> anyhow::Result<()> {
    let dir = tempdir("served");
    let f = fixtures::write(&dir, &Spec::small(Layout::PrettyArray, Mode::Canonical))?;
    import(&pool, &KeyEncryptionKey::generate(), &options(&dir)).await?;
    let opts = VerifyOptions::at(chrono::Utc::now());
    assert!(
        f.served.iter().any(|s| s.did_key_issuer) && f.served.iter().any(|s| !s.did_key_issuer)
    );
    for s in &f.served {
        let id = import::legacy_uuid("AchievementCredential", &s.object_id);
        let served = engine::award::served_bytes(&pool, id).await?;
        assert_eq!(
            String::from_utf8(served.clone())?,
            s.text,
            "credential {}",
            s.object_id
        );
        let before = verify_json(s.text.as_bytes(), &opts);
        let after = verify_json(&served, &opts);
        assert_eq!(before, after);
        assert_eq!(
            after.check("signature").map(|c| c.outcome),
            Some(Outcome::Pass),
            "{after}"
        );
        if s.did_key_issuer {
            assert!(after.is_valid(), "{after}");
        } else {
            // The old shape: valid signature, but the https issuer does not control the did:key.
            assert_eq!(
                after.check("issuer_key").map(|c| c.outcome),
                Some(Outcome::Fail)
            );
        }
    }
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn every_layout_and_mode_loads_the_same_rows(pool: PgPool) -> anyhow::Result<()> {
    let kek = KeyEncryptionKey::generate();
    let mut first = None;
    for (i, (layout, mode)) in [
        (Layout::Lines, Mode::Canonical),
        (Layout::Array, Mode::Relaxed),
        (Layout::PrettyArray, Mode::Canonical),
    ]
    .into_iter()
    .enumerate()
    {
        let dir = tempdir(&format!("layout-{i}"));
        fixtures::write(&dir, &Spec::small(layout, mode))?;
        let report = import(&pool, &kek, &options(&dir)).await?;
        assert!(report.is_consistent(), "{layout:?} {mode:?}: {report:#?}");
        let snap = snapshot(&pool).await?;
        match &first {
            None => {
                assert!(report.inserted() > 0);
                first = Some(snap);
            }
            // Same ids, same content: the other formats find everything already there.
            Some(s) => {
                assert_eq!(report.inserted(), 0, "{layout:?} {mode:?}");
                assert_eq!(&snap, s);
            }
        }
    }
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn strict_aborts_with_nothing_written_and_dry_run_writes_nothing(
    pool: PgPool,
) -> anyhow::Result<()> {
    let dir = tempdir("strict");
    let mut spec = Spec::small(Layout::Lines, Mode::Relaxed);
    spec.bad_records = true;
    let f = fixtures::write(&dir, &spec)?;
    let kek = KeyEncryptionKey::generate();
    let empty = snapshot(&pool).await?;

    let mut o = options(&dir);
    o.strict = true;
    match import(&pool, &kek, &o).await {
        Err(ImportError::Rejected { file, line, reason }) => {
            assert_eq!(file, "users.json");
            assert_eq!(line, f.users as u64 + 1);
            assert!(reason.contains("missing required field"), "{reason}");
        }
        other => panic!("expected a strict rejection, got {other:?}"),
    }
    assert_eq!(snapshot(&pool).await?, empty);

    let mut o = options(&dir);
    o.dry_run = true;
    let report = import(&pool, &kek, &o).await?;
    assert!(report.dry_run);
    assert_eq!(count(&report, "users"), f.users as i64);
    assert_eq!(count(&report, "credentials"), f.credentials as i64);
    assert_eq!(snapshot(&pool).await?, empty);
    Ok(())
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("be-import-{name}-{}", uuid::Uuid::new_v4()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn old_shape_credentials_are_reissued_under_the_issuers_did_and_superseded(
    pool: PgPool,
) -> anyhow::Result<()> {
    use engine::award::{Issuance, reissue};
    use engine::cache::Cache;
    use engine::public_url::PublicUrls;
    use engine::signer::OpenBadgesSigner;
    let dir = tempdir("reissue");
    let f = fixtures::write(&dir, &Spec::small(Layout::Lines, Mode::Relaxed))?;
    let kek = KeyEncryptionKey::generate();
    import(&pool, &kek, &options(&dir)).await?;
    let old: Vec<uuid::Uuid> = f
        .served
        .iter()
        .filter(|s| !s.did_key_issuer)
        .map(|s| import::legacy_uuid("AchievementCredential", &s.object_id))
        .collect();
    assert!(!old.is_empty());
    let admin = Principal::bypass_for_system_task("test:reissue");
    let (view, award, revoke) = (
        admin.require::<can::ViewAdmin>()?,
        admin.require::<can::Award>()?,
        admin.require::<can::Revoke>()?,
    );
    let issuers: Vec<uuid::Uuid> =
        sqlx::query_scalar("select distinct issuer_id from credentials where id = any($1)")
            .bind(&old)
            .fetch_all(&pool)
            .await?;
    let signer = OpenBadgesSigner::new(PublicUrls::new("http://127.0.0.1:3000", true)?);
    let cache = Cache::disabled();
    let ctx = Issuance {
        kek: &kek,
        signer: &signer,
        cache: &cache,
    };
    let mut pending_total = 0;
    for issuer in &issuers {
        let pending = reissue::pending(&pool, &view, *issuer).await?;
        assert!(pending > 0);
        pending_total += pending;
        let queued = reissue::start(&pool, &award, &revoke, *issuer).await?;
        assert_eq!(queued.progress_total, Some(pending as i32));
        let again = reissue::start(&pool, &award, &revoke, *issuer).await;
        assert!(
            again.is_err_and(|e| e.to_string().contains("already under way")),
            "one re-issue per issuer at a time"
        );
        let job = engine::job::claim_next(&pool, "test-worker", 60)
            .await?
            .unwrap();
        reissue::run(&pool, ctx, &job, "test-worker", 60).await?;
        let done = engine::job::finish(&pool, job.id, "test-worker", Ok(())).await?;
        assert_eq!(done.progress_done, pending as i32);
        assert_eq!(reissue::pending(&pool, &view, *issuer).await?, 0);
        let nothing = reissue::start(&pool, &award, &revoke, *issuer).await;
        assert!(nothing.is_err_and(|e| e.to_string().contains("no credential")));
    }
    assert_eq!(pending_total, old.len() as i64);

    let opts = VerifyOptions::at(chrono::Utc::now());
    for (s, id) in f.served.iter().filter(|s| !s.did_key_issuer).zip(&old) {
        let row = sqlx::query!(
            "select revoked_at is not null as revoked, revocation_reason, superseded_by from credentials where id = $1",
            id
        )
        .fetch_one(&pool)
        .await?;
        assert_eq!(row.revoked, Some(true));
        assert_eq!(row.revocation_reason.as_deref(), Some("superseded"));
        // The old bytes are kept as they were.
        assert_eq!(
            engine::award::served_bytes(&pool, *id).await?,
            s.text.as_bytes()
        );
        let new = row.superseded_by.expect("a successor");
        let n = sqlx::query!(
            "select recipient_email, achievement_id, issued_at, credential from credentials where id = $1",
            new
        )
        .fetch_one(&pool)
        .await?;
        let o = sqlx::query!(
            "select recipient_email, achievement_id, issued_at from credentials where id = $1",
            id
        )
        .fetch_one(&pool)
        .await?;
        assert_eq!(
            (n.recipient_email, n.achievement_id, n.issued_at),
            (o.recipient_email, o.achievement_id, o.issued_at)
        );
        let report = verify_json(&serde_json::to_vec(&n.credential)?, &opts);
        assert_eq!(
            report.check("issuer_key").map(|c| c.outcome),
            Some(Outcome::Pass),
            "{report}"
        );
        assert_eq!(
            report.check("signature").map(|c| c.outcome),
            Some(Outcome::Pass),
            "{report}"
        );
    }
    let audits: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'credential.supersede'")
            .fetch_one(&pool)
            .await?;
    assert_eq!(audits, old.len() as i64);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn a_one_line_json_array_finds_duplicates_as_json_lines_do(
    pool: PgPool,
) -> anyhow::Result<()> {
    // `mongoexport --jsonArray` writes every document on one line, so "the earlier record"
    // must be told by its offset in the file, not by its line.
    let dir = tempdir("array-duplicates");
    let mut spec = Spec::small(Layout::Array, Mode::Canonical);
    spec.bad_records = true;
    let f = fixtures::write(&dir, &spec)?;
    let mut o = options(&dir);
    let rejects_path = dir.join("rejects.jsonl");
    o.rejects = Some(rejects_path.clone());
    let report = import(&pool, &KeyEncryptionKey::generate(), &o).await?;
    assert!(report.is_consistent(), "{report:#?}");
    assert_eq!(count(&report, "users"), f.users as i64);
    let rejects = std::fs::read_to_string(&rejects_path)?;
    assert_eq!(rejects.lines().count(), f.bad_records, "{rejects}");
    assert!(rejects.contains("duplicate e-mail"), "{rejects}");
    Ok(())
}
