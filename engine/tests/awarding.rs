//! Awarding with the real signer: credentials verify, carry two status entries and the
//! details given, are audited and idempotent; failed batches leave nothing; revocation and
//! suspension set the right bits and the signed status lists show them; history search,
//! states and CSV export; bulk CSV validation with row/column errors and the bulk job; scope.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod common;

use common::{World, admin, make_user, world, world_with};
use engine::Error;
use engine::achievement;
use engine::award::{self, HistoryQuery, NewAward, Outcome, StateFilter, bulk};
use engine::issuer::DidMethod;
use engine::page::PageRequest;
use engine::rbac::{StaffRole, can};
use engine::signer::{AwardResult, EvidenceInput, signed_status_list};
use engine::{audit, job, status_list};
use openbadges::verify::{VerifyOptions, verify};
use sqlx::PgPool;
use uuid::Uuid;

async fn issue(pool: &PgPool, w: &World, a: &NewAward) -> anyhow::Result<award::Credential> {
    Ok(award::issue(pool, &admin().require()?, w.ctx(), a).await?.1)
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn awards_verify_and_carry_what_was_given(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let ann = make_user(&pool, "ann").await?;
    let mut a = w.award("Ann");
    a.details.results.push(AwardResult {
        result_description: 0,
        achieved_level: Some(1),
        value: None,
    });
    a.details.evidence.push(EvidenceInput {
        url: Some("https://example.org/work/1".into()),
        narrative: Some("Built a schema".into()),
        name: None,
    });
    a.details.activity_start = Some(chrono::Utc::now() - chrono::Duration::days(30));
    a.details.activity_end = Some(chrono::Utc::now() - chrono::Duration::days(1));
    let c = issue(&pool, &w, &a).await?;
    let report = verify(&c.credential, &VerifyOptions::at(chrono::Utc::now()));
    assert!(report.is_valid(), "{report}\n{:#}", c.credential);
    assert_eq!(c.recipient_user_id, Some(ann.id));
    assert_eq!(
        c.credential["id"],
        format!("{}/credentials/{}", common::BASE, c.id)
    );
    let subject = &c.credential["credentialSubject"];
    assert_eq!(
        subject["identifier"][0]["identityHash"],
        c.identity_hash.as_str()
    );
    assert_eq!(subject["identifier"][1]["identityHash"], "Ann");
    assert!(
        subject["result"][0]["achievedLevel"]
            .as_str()
            .is_some_and(|l| l.ends_with("#result-0-level-1"))
    );
    assert_eq!(
        c.credential["evidence"][0]["id"],
        "https://example.org/work/1"
    );
    let statuses = c.credential["credentialStatus"]
        .as_array()
        .expect("two entries");
    assert_eq!(statuses[0]["statusPurpose"], "revocation");
    assert_eq!(statuses[1]["statusPurpose"], "suspension");
    assert!(
        c.valid_until
            .is_some_and(|v| (v - c.issued_at).num_days() == 365)
    );
    // A custom expiry wins over the achievement's default.
    let mut b = w.award("Bea");
    b.valid_until = Some(chrono::Utc::now() + chrono::Duration::days(10));
    let cb = issue(&pool, &w, &b).await?;
    assert_eq!(
        cb.valid_until.map(|v| v.timestamp()),
        b.valid_until.map(|v| v.timestamp())
    );
    assert_eq!(cb.status_list_index, Some(1));
    let log = audit::list(
        &pool,
        &admin().require()?,
        Some(audit::Entity::new("credential", c.id)),
        5,
        0,
    )
    .await?;
    assert_eq!(log[0].action, "credential.award");
    // The notification with its claim link is queued in the same transaction.
    let queued = sqlx::query_scalar!(
        r#"select count(*) as "n!" from emails where credential_id = $1"#,
        c.id
    )
    .fetch_one(&pool)
    .await?;
    assert_eq!(queued, 0, "no notification unless asked");
    let mut n = w.award("Noti");
    n.notify = true;
    let cn = issue(&pool, &w, &n).await?;
    let queued = sqlx::query_scalar!(
        r#"select count(*) as "n!" from emails where credential_id = $1"#,
        cn.id
    )
    .fetch_one(&pool)
    .await?;
    assert_eq!(queued, 1);
    let count = achievement::get(&pool, &admin().require()?, w.achievement.id).await?;
    let listed =
        achievement::list(&pool, &admin().require()?, w.issuer.id, &Default::default()).await?;
    assert_eq!(listed.items[0].awards, 3, "{count:?}");
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn did_web_credentials_verify_with_the_did_document(pool: PgPool) -> anyhow::Result<()> {
    let w = world_with(&pool, DidMethod::Web).await?;
    let before = issue(&pool, &w, &w.award("Before")).await?;
    engine::issuer::rotate_key(&pool, &w.cache, &admin().require()?, &w.kek, w.issuer.id).await?;
    let after = issue(&pool, &w, &w.award("After")).await?;
    assert_eq!(
        before.credential["issuer"]["id"],
        after.credential["issuer"]["id"]
    );
    let doc = engine::issuer::did_document(&pool, &w.cache, w.issuer.id).await?;
    let mut options = VerifyOptions::at(chrono::Utc::now());
    for m in doc["verificationMethod"].as_array().expect("methods") {
        let key =
            openbadges::PublicKey::from_multibase(m["publicKeyMultibase"].as_str().unwrap_or(""))?;
        options
            .trusted_keys
            .insert(m["id"].as_str().unwrap_or("").to_owned(), key);
    }
    for c in [&before, &after] {
        let report = verify(&c.credential, &options);
        assert!(report.is_valid(), "{report}");
    }
    assert_ne!(
        before.credential["proof"]["verificationMethod"],
        after.credential["proof"]["verificationMethod"]
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn idempotent_and_all_or_nothing(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::Award>()?;
    let mut a = w.award("Ann");
    a.idempotency_key = Some("api:abc".into());
    let (first, c1) = award::issue(&pool, &auth, w.ctx(), &a).await?;
    let (second, c2) = award::issue(&pool, &auth, w.ctx(), &a).await?;
    assert!(matches!(first, Outcome::Issued(_)) && matches!(second, Outcome::AlreadyIssued(_)));
    assert_eq!(c1.id, c2.id);
    let audit_before = audit::list(&pool, &admin().require()?, None, 500, 0)
        .await?
        .len();
    let mut batch = vec![w.award("Bea"), w.award("Cy")];
    batch[1].recipient_email = "nope".into();
    let e = award::issue_batch(&pool, &auth, w.ctx(), w.achievement.id, &batch, None)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "email"),
        "{e:?}"
    );
    batch[1] = w.award("Cy");
    batch[1].valid_until = Some(chrono::Utc::now() - chrono::Duration::days(1));
    let e = award::issue_batch(&pool, &auth, w.ctx(), w.achievement.id, &batch, None)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "expiry"),
        "{e:?}"
    );
    let count = sqlx::query_scalar!(r#"select count(*) as "n!" from credentials"#)
        .fetch_one(&pool)
        .await?;
    assert_eq!(count, 1);
    assert_eq!(
        audit::list(&pool, &admin().require()?, None, 500, 0)
            .await?
            .len(),
        audit_before
    );
    // Entries are reserved before the award's transaction, so a refused batch may leave a few
    // unused (their bits stay 0 and no credential names them); the next award gets a fresh one.
    let next = issue(&pool, &w, &w.award("Dee")).await?;
    let first_index = sqlx::query_scalar!(
        "select status_list_index from credentials where id = $1",
        c1.id
    )
    .fetch_one(&pool)
    .await?;
    assert!(
        next.status_list_index > first_index,
        "{:?} after {first_index:?}",
        next.status_list_index
    );
    let named =
        sqlx::query_scalar!(r#"select count(distinct status_list_index) as "n!" from credentials"#)
            .fetch_one(&pool)
            .await?;
    assert_eq!(named, 2, "no entry is named twice");
    // Archived achievements cannot be awarded.
    achievement::archive(&pool, &w.cache, &admin().require()?, w.achievement.id).await?;
    let e = award::issue(&pool, &auth, w.ctx(), &w.award("Eve"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "achievement"),
        "{e:?}"
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn staff_of_one_issuer_cannot_award_another(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let other = world(&pool).await;
    // A second issuer with its own achievement.
    let o = match other {
        Ok(o) => o,
        Err(e) => return Err(e),
    };
    let ann = make_user(&pool, "ann").await?;
    engine::issuer::staff::grant(
        &pool,
        &admin().require()?,
        w.issuer.id,
        StaffRole::Awarder,
        engine::issuer::staff::GranteeRef::User(ann.id),
    )
    .await?;
    let p = engine::rbac::load_principal(&pool, ann.id, &[], &[]).await?;
    let auth = p.require::<can::Award>()?;
    award::issue(&pool, &auth, w.ctx(), &w.award("Ok")).await?;
    let mut foreign = o.award("Nope");
    foreign.achievement_id = o.achievement.id;
    let e = award::issue(&pool, &auth, w.ctx(), &foreign)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden { .. }), "{e:?}");
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn revoke_and_suspend_set_their_bits(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::Revoke>()?;
    let mut ids = Vec::new();
    let batch: Vec<NewAward> = (0..10).map(|i| w.award(&format!("P{i}"))).collect();
    for o in award::issue_batch(
        &pool,
        &admin().require()?,
        w.ctx(),
        w.achievement.id,
        &batch,
        None,
    )
    .await?
    {
        ids.push(o.credential_id());
    }
    let target = ids[9];
    let revoked = award::revoke(&pool, &w.cache, &auth, target, "issued in error").await?;
    assert_eq!(
        revoked.revocation_reason.as_deref(),
        Some("issued in error")
    );
    let list = status_list::get(&pool, revoked.status_list_id.expect("list")).await?;
    assert!(list.is_set(9) && (0..9).all(|i| !list.is_set(i)));
    assert_eq!(
        list.bitstring[1], 0b0100_0000,
        "bit 9 = byte 1, second most significant bit"
    );
    let e = award::revoke(&pool, &w.cache, &auth, target, "again")
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "revoked_at"));
    assert!(matches!(
        award::revoke(&pool, &w.cache, &auth, Uuid::now_v7(), "x").await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        award::revoke(&pool, &w.cache, &auth, ids[0], " ").await,
        Err(Error::Invalid { .. })
    ));
    // Suspension is reversible and uses the suspension list.
    let s = award::suspend(&pool, &w.cache, &auth, ids[3], "under review").await?;
    let slist = s.suspension_list_id.expect("suspension list");
    assert!(status_list::get(&pool, slist).await?.is_set(3));
    let vc = signed_status_list(&pool, &w.cache, &w.kek, &w.signer, slist).await?;
    assert!(
        verify(
            &vc,
            &VerifyOptions {
                validate_structure: false,
                ..VerifyOptions::at(chrono::Utc::now())
            }
        )
        .is_valid()
    );
    assert_eq!(vc["credentialSubject"]["statusPurpose"], "suspension");
    assert!(openbadges::status_list::is_set(&s.credential, &vc)?);
    let lifted = award::unsuspend(&pool, &w.cache, &auth, ids[3]).await?;
    assert!(lifted.suspended_at.is_none());
    let vc = signed_status_list(&pool, &w.cache, &w.kek, &w.signer, slist).await?;
    assert!(!openbadges::status_list::is_set(&s.credential, &vc)?);
    // The revocation list credential shows the revoked one and not the others.
    let rlist = revoked.status_list_id.expect("list");
    let vc = signed_status_list(&pool, &w.cache, &w.kek, &w.signer, rlist).await?;
    assert!(openbadges::status_list::is_set(&revoked.credential, &vc)?);
    assert_eq!(vc["issuer"], revoked.credential["issuer"]["id"]);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn status_lists_roll_over_when_full(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let first = issue(&pool, &w, &w.award("A")).await?;
    let list = first.status_list_id.expect("list");
    sqlx::query!(
        "update status_lists set next_index = size - 1 where id = $1",
        list
    )
    .execute(&pool)
    .await?;
    // Two awards: one takes the last entry of the full list, the next opens a new list.
    let two = award::issue_batch(
        &pool,
        &admin().require()?,
        w.ctx(),
        w.achievement.id,
        &[w.award("B"), w.award("C")],
        None,
    )
    .await?;
    let view = admin().require::<can::ViewAdmin>()?;
    let b = award::get(&pool, &view, two[0].credential_id()).await?;
    let c = award::get(&pool, &view, two[1].credential_id()).await?;
    assert_eq!(
        (b.status_list_id, b.status_list_index),
        (Some(list), Some(status_list::LIST_SIZE - 1))
    );
    assert_ne!(c.status_list_id, Some(list));
    assert_eq!(c.status_list_index, Some(0));
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn history_search_states_and_export(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let mut awards = Vec::new();
    for (i, name) in [
        "Ann Smith",
        "Bob Smithers",
        "Cy Jones",
        "=cmd|' /C calc'!A0",
    ]
    .iter()
    .enumerate()
    {
        let mut n = w.award(name);
        n.recipient_email = format!("user{i}@example.org");
        n.issued_at = Some(chrono::Utc::now() - chrono::Duration::minutes(10 - i as i64));
        awards.push(n);
    }
    let out = award::issue_batch(
        &pool,
        &admin().require()?,
        w.ctx(),
        w.achievement.id,
        &awards,
        None,
    )
    .await?;
    award::revoke(
        &pool,
        &w.cache,
        &admin().require()?,
        out[2].credential_id(),
        "x",
    )
    .await?;
    let view = admin().require::<can::ViewAdmin>()?;
    let q = |text: Option<&str>, state: StateFilter| HistoryQuery {
        text: text.map(str::to_owned),
        state,
        page: PageRequest {
            offset: 0,
            limit: 10,
        },
        ..HistoryQuery::default()
    };
    let names = |p: award::HistoryPage| {
        p.items
            .into_iter()
            .map(|c| c.recipient_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(award::search_history(&pool, &view, &q(Some("SMITH"), StateFilter::All)).await?),
        ["Bob Smithers", "Ann Smith"]
    );
    assert_eq!(
        names(award::search_history(&pool, &view, &q(Some("USER2@"), StateFilter::All)).await?),
        ["Cy Jones"]
    );
    assert_eq!(
        names(award::search_history(&pool, &view, &q(None, StateFilter::Revoked)).await?),
        ["Cy Jones"]
    );
    assert_eq!(
        award::search_history(&pool, &view, &q(None, StateFilter::Unclaimed))
            .await?
            .items
            .len(),
        3
    );
    let e = award::search_history(&pool, &view, &q(Some("ab"), StateFilter::All))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { ref field, .. } if field == "text"));
    let csv = String::from_utf8(
        award::history::export_csv(&pool, &view, &q(None, StateFilter::All)).await?,
    )?;
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains("'=cmd|"),
        "formula cells are neutralised: {csv}"
    );
    assert_eq!(csv.lines().count(), 5);
    Ok(())
}

fn csv_rows(n: usize) -> String {
    let mut s = String::from("name,email,result\n");
    for i in 0..n {
        s.push_str(&format!(
            "Person {i},person{i}@example.org,{}\n",
            if i % 2 == 0 { "Expert" } else { "novice" }
        ));
    }
    s
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn bulk_files_report_every_bad_row(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::Award>()?;
    let file = "\u{feff}name;email;result;expiry\n\
                Ann;ann@example.org;Expert;2030-01-01\n\
                Bob;not-an-email;Expert;\n\
                Cy;cy@example.org;Wizard;\n\
                Dee;ANN@example.org ;Expert;\n\
                Eve;eve@example.org;Expert;31/12/2030\n\
                \"Fay, Jr.\";fay@example.org;Novice;\n";
    let checked = bulk::check_file(
        &pool,
        &auth,
        w.achievement.id,
        "awards.csv",
        file.as_bytes(),
        false,
    )
    .await?;
    assert_eq!(
        checked.bulk_award.as_ref().map(|b| b.status.as_str()),
        Some("invalid"),
        "only the report is kept"
    );
    let got: Vec<(usize, Option<usize>)> =
        checked.errors.iter().map(|e| (e.row, e.column)).collect();
    assert_eq!(
        got,
        [(3, Some(2)), (4, Some(3)), (5, Some(2)), (6, Some(4))],
        "{:#?}",
        checked.errors
    );
    assert!(
        checked.errors[1].message.contains("Novice, Expert"),
        "{}",
        checked.errors[1].message
    );
    assert!(
        checked.errors[2].message.contains("row 2"),
        "duplicate after normalising: {}",
        checked.errors[2].message
    );
    // Not UTF-8, no header, unknown columns.
    for (bytes, needle) in [
        (b"name,email\n\xff\xfe,x\n".to_vec(), "UTF-8"),
        (b"ann@example.org,Ann\n".to_vec(), "header"),
        (
            b"name,email,colour\nA,a@example.org,red\n".to_vec(),
            "colour",
        ),
        (b"".to_vec(), "empty"),
    ] {
        let c = bulk::check_file(&pool, &auth, w.achievement.id, "x.csv", &bytes, false).await?;
        assert!(
            c.errors.iter().any(|e| e.message.contains(needle)),
            "{needle}: {:?}",
            c.errors
        );
    }
    let big = format!(
        "name,email\n{}",
        "A,a@example.org\n".repeat(bulk::MAX_ROWS + 1)
    );
    let c = bulk::check_file(
        &pool,
        &auth,
        w.achievement.id,
        "big.csv",
        big.as_bytes(),
        false,
    )
    .await?;
    assert!(
        c.errors.iter().any(|e| e.message.contains("100000")),
        "{:?}",
        &c.errors[..1]
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn bulk_awards_issue_once_through_the_job(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    let auth = admin().require::<can::Award>()?;
    let file = csv_rows(1_203);
    let checked = bulk::check_file(
        &pool,
        &auth,
        w.achievement.id,
        "people.csv",
        file.as_bytes(),
        false,
    )
    .await?;
    assert!(checked.errors.is_empty(), "{:?}", checked.errors);
    assert_eq!(checked.rows, 1_203);
    let b = checked.bulk_award.expect("validated");
    let confirmed = bulk::confirm(&pool, &auth, b.id).await?;
    assert_eq!(confirmed.status, "queued");
    let j = job::claim_next(&pool, "test-worker", 60)
        .await?
        .expect("job");
    assert_eq!(j.kind, bulk::JOB_KIND);
    bulk::run(&pool, w.ctx(), &j, "test-worker", 60).await?;
    job::finish(&pool, j.id, "test-worker", Ok(())).await?;
    let done = bulk::get(&pool, &admin().require()?, b.id).await?;
    assert_eq!(
        (done.status.as_str(), done.issued, done.skipped, done.failed),
        ("succeeded", 1_203, 0, 0)
    );
    let (creds, emails, audits) = sqlx::query!(
        r#"select (select count(*) from credentials where bulk_award_id = $1) as "c!",
                  (select count(*) from emails e join credentials c on c.id = e.credential_id where c.bulk_award_id = $1) as "e!",
                  (select count(*) from audit_log where action = 'credential.award') as "a!""#,
        b.id
    )
    .fetch_one(&pool)
    .await
    .map(|r| (r.c, r.e, r.a))?;
    assert_eq!((creds, emails, audits), (1_203, 1_203, 1_203));
    // Every credential has both status entries, all distinct.
    let distinct = sqlx::query_scalar!(
        r#"select count(distinct (status_list_id, status_list_index)) + count(distinct (suspension_list_id, suspension_list_index)) as "n!" from credentials"#
    )
    .fetch_one(&pool)
    .await?;
    assert_eq!(distinct, 2 * 1_203);
    // The same file again: every row is recognised and skipped; "award again" issues anew.
    let again = bulk::check_file(
        &pool,
        &auth,
        w.achievement.id,
        "people.csv",
        file.as_bytes(),
        false,
    )
    .await?;
    assert_eq!(again.already_awarded, 1_203);
    let b2 = bulk::confirm(&pool, &auth, again.bulk_award.expect("validated").id).await?;
    let j2 = job::claim_next(&pool, "w", 60).await?.expect("job");
    bulk::run(&pool, w.ctx(), &j2, "w", 60).await?;
    let d2 = bulk::get(&pool, &admin().require()?, b2.id).await?;
    assert_eq!((d2.issued, d2.skipped), (0, 1_203));
    let small = csv_rows(3);
    let third = bulk::check_file(
        &pool,
        &auth,
        w.achievement.id,
        "again.csv",
        small.as_bytes(),
        true,
    )
    .await?;
    assert_eq!(third.already_awarded, 0);
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn concurrent_awards_of_one_achievement_all_land(pool: PgPool) -> anyhow::Result<()> {
    // Sixteen single awards at once (as sixteen API calls would arrive): before the fix, two
    // of them holding share locks on the achievement deadlocked on its award count.
    let w = std::sync::Arc::new(world(&pool).await?);
    let auth = admin().require::<can::Award>()?;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (pool, auth, w) = (pool.clone(), auth.clone(), w.clone());
            tokio::spawn(async move {
                let a = w.award(&format!("Earner {i}"));
                award::issue(&pool, &auth, w.ctx(), &a).await.map(|_| ())
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    assert_eq!(
        achievement::list::award_count(&pool, w.achievement.id).await?,
        16
    );
    Ok(())
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn notifications_are_written_in_the_recipients_language(pool: PgPool) -> anyhow::Result<()> {
    let w = world(&pool).await?;
    // Entra sends preferredLanguage over SCIM; "nl-NL" is Dutch, "fr" is one we do not speak.
    for (name, tag) in [("Joost", "nl-NL"), ("Amelie", "fr")] {
        let mut input = common::user_input(&name.to_lowercase());
        input.preferred_language = Some(tag.into());
        engine::user::create(&pool, &admin().require()?, &input).await?;
    }
    let mut subjects = Vec::new();
    for name in ["Joost", "Amelie", "Nobody"] {
        let mut a = w.award(name);
        a.notify = true;
        let c = issue(&pool, &w, &a).await?;
        let (subject, payload) = sqlx::query!(
            r#"select subject, payload from emails where credential_id = $1"#,
            c.id
        )
        .fetch_one(&pool)
        .await
        .map(|r| (r.subject, r.payload))?;
        subjects.push((subject, payload["lang"].clone()));
    }
    assert!(
        subjects[0].0.starts_with("Je hebt “") && subjects[0].0.ends_with("” behaald"),
        "{:?}",
        subjects[0]
    );
    assert_eq!(subjects[0].1, "nl", "the message body follows the subject");
    assert!(
        subjects[1].0.starts_with("You have earned"),
        "{:?}",
        subjects[1]
    );
    assert_eq!(subjects[2].1, "en", "no account: English");
    Ok(())
}
