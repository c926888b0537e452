//! Sign-in security against the real local OpenID provider and the real app: the happy path
//! (session cycling, cookie flags, sessions row, audit), then each attack or bad input —
//! forged or missing `state`, replayed code, wrong `nonce`, expired and not-yet-valid tokens,
//! wrong audience and issuer, unknown signing key, `alg: none` and HS256 swaps, a tampered
//! session cookie, a deactivated user, revoked sessions, cross-origin posts, rate limiting.
//! Each refusal must be a clear page with a reason code and leave no signed-in session.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod auth_support;

use std::str::FromStr;

use auth_support::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use openidconnect::core::{
    CoreGenderClaim, CoreHmacKey, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
};
use openidconnect::{IdTokenClaims, JsonWebKeyId};
use server::auth::claims::EntraClaims;
use server::auth::oidc::EntraIdToken;

fn reason(r: &reqwest::Response) -> String {
    r.headers()
        .get("x-login-error")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn refused(app: &App, b: &reqwest::Client, r: reqwest::Response, status: u16, code: &str) {
    assert_eq!(r.status().as_u16(), status, "status for {code}");
    assert_eq!(reason(&r), code);
    let page = r.text().await.unwrap();
    assert!(page.contains(code), "the page names the reason");
    assert!(app.viewer(b).await.is_none(), "no session after {code}");
}

#[tokio::test]
async fn sign_in_flow_and_its_attacks() {
    let op = start_provider().await;
    let app = App::start(&op.issuer).await;

    // Happy path: admin, session id cycled, cookie flags, sessions row, audit row, roles.
    let b = browser();
    let r = b
        .get(app.url("/auth/login?next=/admin"))
        .send()
        .await
        .unwrap();
    let pending_cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let authorize = location(&r);
    for p in [
        "state=",
        "nonce=",
        "code_challenge=",
        "code_challenge_method=S256",
    ] {
        assert!(authorize.contains(p), "authorization request has {p}");
    }
    let callback = provider_login(&b, &authorize, "admin").await;
    let r = b.get(&callback).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_ne!(
        cookie.split(';').next(),
        pending_cookie.split(';').next(),
        "the session id is cycled at sign-in"
    );
    let viewer = app.viewer(&b).await.expect("signed in");
    assert_eq!(viewer["username"], "admin@badge-engine.test");
    assert!(
        viewer["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "admin")
    );
    assert_eq!(app.session_rows().await, 1);
    let logins: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'user.login'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(logins, 1);
    assert_eq!(b.get(app.url("/admin")).send().await.unwrap().status(), 200);

    // Replaying the same callback in the same browser: the pending sign-in is gone.
    let r = b.get(&callback).send().await.unwrap();
    assert_eq!(reason(&r), "no_pending_login");

    // Replayed code in a new sign-in of another browser: the provider refuses the used code.
    let b2 = browser();
    let fresh = app.start_login(&b2).await;
    let state = url::Url::parse(&fresh)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let replay = with_param(&callback, "state", &state);
    let r = b2.get(&replay).send().await.unwrap();
    refused(&app, &b2, r, 400, "code_rejected").await;

    // Callback without any sign-in in progress.
    let b3 = browser();
    let r = b3
        .get(app.url("/auth/callback?code=x&state=y"))
        .send()
        .await
        .unwrap();
    refused(&app, &b3, r, 400, "no_pending_login").await;

    // Forged and missing state.
    let b4 = browser();
    let authorize = app.start_login(&b4).await;
    let callback = provider_login(&b4, &authorize, "earner").await;
    let r = b4
        .get(with_param(&callback, "state", "forged"))
        .send()
        .await
        .unwrap();
    refused(&app, &b4, r, 400, "state_mismatch").await;
    let b5 = browser();
    let authorize = app.start_login(&b5).await;
    let callback = provider_login(&b5, &authorize, "earner").await;
    let mut no_state = url::Url::parse(&callback).unwrap();
    let kept: Vec<(String, String)> = no_state
        .query_pairs()
        .filter(|(k, _)| k != "state")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    no_state.query_pairs_mut().clear().extend_pairs(kept);
    let r = b5.get(no_state.as_str()).send().await.unwrap();
    refused(&app, &b5, r, 400, "state_mismatch").await;

    // An attacker swaps the nonce in the authorization request: the ID token's nonce differs.
    let b6 = browser();
    let authorize = app.start_login(&b6).await;
    let tampered = with_param(&authorize, "nonce", "attacker-nonce");
    let callback = provider_login(&b6, &tampered, "earner").await;
    let r = b6.get(&callback).send().await.unwrap();
    refused(&app, &b6, r, 400, "wrong_nonce").await;

    // Expired and not-yet-valid tokens (the app's clock is moved, the provider's is not).
    let oidc = app.state.oidc.clone().expect("oidc configured");
    for (offset, code) in [
        (chrono::Duration::hours(2), "token_expired"),
        (chrono::Duration::hours(-2), "token_not_yet_valid"),
    ] {
        oidc.set_clock_offset(offset);
        let b = browser();
        let r = app.sign_in(&b, "earner").await;
        refused(&app, &b, r, 400, code).await;
    }
    oidc.set_clock_offset(chrono::Duration::zero());

    // Provider-side error.
    let b7 = browser();
    let authorize = app.start_login(&b7).await;
    let state = url::Url::parse(&authorize)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let r = b7
        .get(app.url(&format!("/auth/callback?error=access_denied&state={state}")))
        .send()
        .await
        .unwrap();
    refused(&app, &b7, r, 400, "provider_refused").await;

    // Only the admin's sign-in produced a session row.
    assert_eq!(app.session_rows().await, 1);

    // Tampered session cookie: treated as no session.
    let jar_cookie = cookie.split(';').next().unwrap().to_owned();
    let (name, value) = jar_cookie.split_once('=').unwrap();
    let mut forged = value.to_owned();
    forged.replace_range(0..2, if &value[0..2] == "AA" { "BB" } else { "AA" });
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = plain
        .get(app.url("/admin"))
        .header("cookie", format!("{name}={forged}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "a tampered cookie is no session");

    // Cross-origin state-changing requests are refused; same-origin ones pass.
    let r = b
        .post(app.url("/api/admin_list_users"))
        .header("origin", "http://evil.example")
        .form(&[("search", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = b
        .post(app.url("/api/admin_list_users"))
        .form(&[("search", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no Origin and no Referer is refused too");
    let r = b
        .post(app.url("/api/admin_list_users"))
        .header("origin", &app.base)
        .form(&[("search", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Logout: the old cookie no longer works, the row is revoked, the provider is told.
    let r = b
        .post(app.url("/auth/logout"))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with(&format!("{}/session/end", op.issuer)));
    let r = plain
        .get(app.url("/admin"))
        .header("cookie", &jar_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the old cookie is dead after logout");
    let active: i64 = sqlx::query_scalar("select count(*) from sessions where revoked_at is null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(active, 0);

    app.cleanup().await;
}

#[tokio::test]
async fn deactivation_revocation_and_permissions() {
    let op = start_provider().await;
    let app = App::start(&op.issuer).await;

    // An earner is signed in but has no admin permission: 403 for pages and server functions.
    let earner = browser();
    assert_eq!(app.sign_in(&earner, "earner").await.status(), 303);
    assert_eq!(
        earner.get(app.url("/admin")).send().await.unwrap().status(),
        403
    );
    let r = earner
        .post(app.url("/api/admin_list_users"))
        .header("origin", &app.base)
        .form(&[("search", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.text().await.unwrap(), "\"Forbidden\"");
    // Visitors get 401.
    let r = browser()
        .post(app.url("/api/admin_list_users"))
        .header("origin", &app.base)
        .form(&[("search", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // An admin revokes the earner's session: the earner is signed out on the next request.
    let admin = browser();
    assert_eq!(app.sign_in(&admin, "admin").await.status(), 303);
    let users: serde_json::Value = admin
        .post(app.url("/api/admin_list_users"))
        .header("origin", &app.base)
        .form(&[("search", "earner")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = &users[0];
    assert_eq!(row["username"], "earner@badge-engine.test");
    let session_id = row["sessions"][0]["id"].as_str().unwrap().to_owned();
    let user_id = row["id"].as_str().unwrap().to_owned();
    let r = admin
        .post(app.url("/api/admin_revoke_user_session"))
        .header("origin", &app.base)
        .form(&[
            ("user_id", user_id.as_str()),
            ("session_id", session_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(app.viewer(&earner).await.is_none(), "revoked at once");

    // Sign in again, then SCIM-style deactivation ends the session at once and blocks sign-in.
    assert_eq!(app.sign_in(&earner, "earner").await.status(), 303);
    assert!(app.viewer(&earner).await.is_some());
    let system = engine::rbac::Principal::bypass_for_system_task("test");
    let can = system.require::<engine::rbac::can::ManageUsers>().unwrap();
    let id: uuid::Uuid = user_id.parse().unwrap();
    engine::user::set_active(&app.db, &can, id, false, None)
        .await
        .unwrap();
    assert!(
        app.viewer(&earner).await.is_none(),
        "deactivated user is signed out"
    );
    let again = browser();
    let r = app.sign_in(&again, "earner").await;
    refused(&app, &again, r, 403, "account_disabled").await;

    // Sign out everywhere ends all the admin's sessions.
    let admin2 = browser();
    assert_eq!(app.sign_in(&admin2, "admin").await.status(), 303);
    let r = admin2
        .post(app.url("/auth/logout-everywhere"))
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(app.viewer(&admin).await.is_none());
    assert!(app.viewer(&admin2).await.is_none());

    // Group overage: no groups claim, so roles come from SCIM memberships only (none here).
    let over = browser();
    assert_eq!(app.sign_in(&over, "overage").await.status(), 303);
    let v = app.viewer(&over).await.unwrap();
    assert!(v["roles"].as_array().unwrap().is_empty());

    // Only an `email_verified: true` claim makes the address the account's: a token without
    // the claim signs in, but its e-mail is not trusted (it would match other people's badges).
    let unverified = browser();
    assert_eq!(app.sign_in(&unverified, "unverified").await.status(), 303);
    assert!(app.viewer(&unverified).await.is_some());
    let email_of = |username: &'static str| {
        sqlx::query_scalar::<_, Option<String>>("select email from users where username = $1")
            .bind(username)
            .fetch_one(&app.db)
    };
    assert_eq!(
        email_of("unverified@badge-engine.test").await.unwrap(),
        None,
        "a missing email_verified claim is not a verified address"
    );
    assert_eq!(
        email_of("earner@badge-engine.test")
            .await
            .unwrap()
            .as_deref(),
        Some("earner@badge-engine.test")
    );

    app.cleanup().await;
}

#[tokio::test]
async fn id_token_verification_refuses_foreign_and_forged_tokens() {
    let op = start_provider().await;
    let other_op = start_provider().await;
    let app = App::start(&op.issuer).await;
    let oidc = app.state.oidc.clone().unwrap();
    let nonce = "n-123";
    let code = |r: Result<_, server::auth::error::LoginError>| r.map(|_| ()).unwrap_err().code();

    // Control: a genuine token verifies.
    let genuine = raw_id_token(&op.issuer, CLIENT_ID, CLIENT_SECRET, "admin", nonce).await;
    let token = EntraIdToken::from_str(&genuine).unwrap();
    let login = oidc.verify(&token, nonce).await.expect("genuine token");
    assert_eq!(login.groups, vec![ADMIN_GROUP]);

    // Issued to another application (audience) and by another provider (issuer).
    let other_aud = raw_id_token(
        &op.issuer,
        "other-app",
        "other-app-dev-secret",
        "admin",
        nonce,
    )
    .await;
    let t = EntraIdToken::from_str(&other_aud).unwrap();
    assert_eq!(code(oidc.verify(&t, nonce).await), "wrong_audience");
    let other_iss = raw_id_token(&other_op.issuer, CLIENT_ID, CLIENT_SECRET, "admin", nonce).await;
    let t = EntraIdToken::from_str(&other_iss).unwrap();
    assert_eq!(code(oidc.verify(&t, nonce).await), "wrong_issuer");

    // Forgeries from the genuine claims.
    let mut parts = genuine.split('.');
    let header: serde_json::Value =
        serde_json::from_slice(&B64.decode(parts.next().unwrap()).unwrap()).unwrap();
    let payload = B64.decode(parts.next().unwrap()).unwrap();
    let claims: IdTokenClaims<EntraClaims, CoreGenderClaim> =
        serde_json::from_slice(&payload).unwrap();
    let pem = std::process::Command::new("node")
        .args([
            "-e",
            "process.stdout.write(require('crypto').generateKeyPairSync('rsa',{modulusLength:2048}).privateKey.export({type:'pkcs1',format:'pem'}))",
        ])
        .output()
        .expect("node");
    let pem = String::from_utf8(pem.stdout).unwrap();
    let kid = header["kid"].as_str().unwrap().to_owned();
    for (key_id, expected) in [
        ("rogue-key", "unknown_key"),
        (kid.as_str(), "bad_signature"),
    ] {
        let key = CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(key_id.into())))
            .unwrap();
        let forged = EntraIdToken::new(
            claims.clone(),
            &key,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            None,
            None,
        )
        .unwrap();
        assert_eq!(code(oidc.verify(&forged, nonce).await), expected);
    }
    // HS256 "signed" with the client secret (algorithm confusion).
    let hs = EntraIdToken::new(
        claims.clone(),
        &CoreHmacKey::new(CLIENT_SECRET.as_bytes()),
        CoreJwsSigningAlgorithm::HmacSha256,
        None,
        None,
    )
    .unwrap();
    assert_eq!(code(oidc.verify(&hs, nonce).await), "disallowed_alg");
    // alg: none.
    let none = format!(
        "{}.{}.",
        B64.encode(br#"{"alg":"none"}"#),
        B64.encode(&payload)
    );
    // Refused at parsing already, or by the verifier.
    if let Ok(t) = EntraIdToken::from_str(&none) {
        let c = code(oidc.verify(&t, nonce).await);
        assert!(matches!(c, "unsigned_token" | "disallowed_alg"), "{c}");
    }

    app.cleanup().await;
}

#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let op = start_provider().await;
    let app = App::start(&op.issuer).await;
    let b = browser();
    let mut statuses = Vec::new();
    for _ in 0..server::auth::login::LOGIN_LIMIT {
        statuses.push(
            b.get(app.url("/auth/login"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let r = b.get(app.url("/auth/login")).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("Too many attempts"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_rotated_signing_key_is_fetched_again() {
    let port = free_port();
    let op = start_provider_on(port).await;
    let app = App::start(&op.issuer).await;
    let b = browser();
    assert_eq!(app.sign_in(&b, "admin").await.status(), 303);
    // The provider restarts with a new RS256 key the app has never seen.
    drop(op);
    let _op = start_provider_on(port).await;
    // Unknown-key refreshes are spaced out; wait past that interval.
    tokio::time::sleep(std::time::Duration::from_secs(11)).await;
    let b2 = browser();
    let r = app.sign_in(&b2, "earner").await;
    assert_eq!(r.status(), 303, "reason: {}", reason(&r));
    assert!(app.viewer(&b2).await.is_some());
    app.cleanup().await;
}
