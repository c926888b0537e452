//! SCIM protocol behaviour beyond Microsoft's script: errors (each with the right status and
//! `scimType`), authentication, filters over many users, pagination, attribute projection,
//! discovery, concurrent creates, de-provisioning lock-out, group → role propagation and audit.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod scim_support;

use axum::body::Body;
use http::{Method, Request, StatusCode};
use scim_support::{Scim, q};
use serde_json::{Value, json};
use sqlx::PgPool;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn user(name: &str) -> Value {
    json!({
        "schemas": [USER],
        "userName": name,
        "externalId": format!("ext-{name}"),
        "displayName": name.to_uppercase(),
        "emails": [{ "value": format!("{name}@example.org"), "type": "work", "primary": true }],
    })
}

fn assert_scim_error(a: &scim_support::Answer, status: u16, scim_type: Option<&str>) {
    assert_eq!(a.status.as_u16(), status, "{:?}", a.body);
    assert_eq!(a.content_type(), "application/scim+json");
    assert_eq!(
        a.body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert_eq!(a.body["status"], status.to_string());
    assert_eq!(a.body["scimType"].as_str(), scim_type, "{:?}", a.body);
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn authentication(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let no_token = scim
        .send(
            Request::get("/scim/v2/Users")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_scim_error(&no_token, 401, None);
    assert_eq!(
        no_token.headers["www-authenticate"],
        "Bearer realm=\"scim\""
    );
    for header in ["Bearer scim_wrong", "Basic abc", "Bearer "] {
        let bad = scim
            .send(
                Request::get("/scim/v2/Users")
                    .header("authorization", header)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_scim_error(&bad, 401, None);
        assert_eq!(bad.headers["www-authenticate"], "Bearer realm=\"scim\"");
    }
    assert_eq!(scim.get("/Users").await.status, StatusCode::OK);
    // Revocation takes effect on the next request; last use is recorded.
    let auth = engine::rbac::Principal::bypass_for_system_task("test")
        .require()
        .expect("capability");
    let tokens = engine::scim_token::list(&pool, &auth).await.expect("list");
    assert!(tokens[0].last_used_at.is_some());
    engine::scim_token::revoke(&pool, &auth, tokens[0].id)
        .await
        .expect("revoke");
    assert_scim_error(&scim.get("/Users").await, 401, None);
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn malformed_requests(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let raw = |body: &'static str, ct: &'static str| {
        Request::post("/scim/v2/Users")
            .header("authorization", format!("Bearer {}", scim.token))
            .header("content-type", ct)
            .body(Body::from(body))
            .expect("request")
    };
    assert_scim_error(
        &scim.send(raw("{not json", "application/scim+json")).await,
        400,
        Some("invalidSyntax"),
    );
    assert_scim_error(&scim.send(raw("{}", "text/plain")).await, 415, None);
    let ok = scim
        .send(raw(
            r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"plain"}"#,
            "application/json",
        ))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);

    let unknown = json!({ "schemas": [USER], "userName": "x", "shoeSize": 44 });
    assert_scim_error(
        &scim.call(Method::POST, "/Users", Some(&unknown)).await,
        400,
        Some("invalidSyntax"),
    );
    let wrong_schema = json!({ "schemas": [GROUP], "userName": "x" });
    assert_scim_error(
        &scim.call(Method::POST, "/Users", Some(&wrong_schema)).await,
        400,
        Some("invalidSyntax"),
    );
    let no_name = json!({ "schemas": [USER], "displayName": "x" });
    assert_scim_error(
        &scim.call(Method::POST, "/Users", Some(&no_name)).await,
        400,
        Some("invalidValue"),
    );
    let bad_bool = json!({ "schemas": [USER], "userName": "x", "active": "perhaps" });
    assert_scim_error(
        &scim.call(Method::POST, "/Users", Some(&bad_bool)).await,
        400,
        Some("invalidValue"),
    );
    let bad_email = json!({ "schemas": [USER], "userName": "x", "emails": [{ "value": "not an email", "primary": true }] });
    assert_scim_error(
        &scim.call(Method::POST, "/Users", Some(&bad_email)).await,
        400,
        Some("invalidValue"),
    );

    // Oversized body: 413 in the SCIM error schema.
    let big =
        json!({ "schemas": [USER], "userName": "big", "displayName": "x".repeat(2 * 1024 * 1024) });
    assert_scim_error(
        &scim.call(Method::POST, "/Users", Some(&big)).await,
        413,
        None,
    );

    // Bad filters.
    for f in [
        "userName eq",
        "userName zz \"a\"",
        "nosuch eq \"a\"",
        "active gt true",
        "(userName eq \"a\"",
    ] {
        assert_scim_error(
            &scim.get(&format!("/Users?filter={}", q(f))).await,
            400,
            Some("invalidFilter"),
        );
    }
    assert_scim_error(
        &scim.get("/Users?count=abc").await,
        400,
        Some("invalidValue"),
    );

    // Unknown ids, unknown endpoints.
    assert_scim_error(
        &scim
            .get("/Users/00000000-0000-0000-0000-000000000000")
            .await,
        404,
        None,
    );
    assert_scim_error(&scim.get("/Users/not-a-uuid").await, 404, None);
    assert_scim_error(
        &scim
            .get("/Groups/00000000-0000-0000-0000-000000000000")
            .await,
        404,
        None,
    );
    assert_scim_error(&scim.get("/Nope").await, 404, None);
    let patch_missing = json!({ "schemas": [PATCH], "Operations": [{ "op": "replace", "path": "title", "value": "x" }] });
    assert_scim_error(
        &scim
            .call(
                Method::PATCH,
                "/Users/00000000-0000-0000-0000-000000000000",
                Some(&patch_missing),
            )
            .await,
        404,
        None,
    );

    // PATCH errors.
    let id = scim
        .call(Method::POST, "/Users", Some(&user("pat")))
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let cases = [
        (
            json!([{ "op": "replace", "path": "id", "value": "x" }]),
            "mutability",
        ),
        (json!([{ "op": "remove" }]), "noTarget"),
        (
            json!([{ "op": "replace", "path": "emails[type eq \"home\" and primary eq true].value", "value": "h@x" }]),
            "noTarget",
        ),
        (
            json!([{ "op": "replace", "path": "shoeSize", "value": 1 }]),
            "invalidPath",
        ),
        (
            json!([{ "op": "fly", "path": "title", "value": 1 }]),
            "invalidSyntax",
        ),
    ];
    for (ops, kind) in cases {
        let a = scim
            .call(
                Method::PATCH,
                &format!("/Users/{id}"),
                Some(&json!({ "schemas": [PATCH], "Operations": ops })),
            )
            .await;
        assert_scim_error(&a, 400, Some(kind));
    }
    let no_schema = json!({ "Operations": [{ "op": "replace", "path": "title", "value": "x" }] });
    assert_scim_error(
        &scim
            .call(Method::PATCH, &format!("/Users/{id}"), Some(&no_schema))
            .await,
        400,
        Some("invalidSyntax"),
    );

    // If-Match with a stale version.
    let stale = scim
        .send(
            Request::patch(format!("/scim/v2/Users/{id}"))
                .header("authorization", format!("Bearer {}", scim.token))
                .header("content-type", "application/scim+json")
                .header("if-match", "W/\"99\"")
                .body(Body::from(json!({ "schemas": [PATCH], "Operations": [{ "op": "replace", "path": "title", "value": "x" }] }).to_string()))
                .expect("request"),
        )
        .await;
    assert_scim_error(&stale, 412, None);
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn uniqueness_and_concurrent_creates(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    assert_eq!(
        scim.call(Method::POST, "/Users", Some(&user("dup")))
            .await
            .status,
        StatusCode::CREATED
    );
    let mut again = user("DUP");
    again["externalId"] = json!("other");
    again["emails"] = json!([]);
    assert_scim_error(
        &scim.call(Method::POST, "/Users", Some(&again)).await,
        409,
        Some("uniqueness"),
    );

    // Ten parallel POSTs of one new user: exactly one 201, the rest 409.
    let body = user("racer");
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let app = scim.app.clone();
        let request = scim.request(Method::POST, "/Users", Some(&body));
        tasks.spawn(async move {
            tower::ServiceExt::oneshot(app, request)
                .await
                .map(|r| r.status())
        });
    }
    let statuses: Vec<StatusCode> = tasks
        .join_all()
        .await
        .into_iter()
        .map(|r| r.expect("response"))
        .collect();
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((created, conflicts), (1, 9));
    let n: i64 = sqlx::query_scalar("select count(*) from users where lower(username) = 'racer'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(n, 1);

    let g = json!({ "schemas": [GROUP], "displayName": "Staff" });
    assert_eq!(
        scim.call(Method::POST, "/Groups", Some(&g)).await.status,
        StatusCode::CREATED
    );
    assert_scim_error(
        &scim
            .call(
                Method::POST,
                "/Groups",
                Some(&json!({ "schemas": [GROUP], "displayName": "staff" })),
            )
            .await,
        409,
        Some("uniqueness"),
    );
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn filters_pagination_and_projection(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    for i in 0..25 {
        let mut u = user(&format!("user{i:02}"));
        u["active"] = json!(i % 5 != 0);
        u["title"] = if i % 2 == 0 {
            json!("Engineer")
        } else {
            Value::Null
        };
        let a = scim.call(Method::POST, "/Users", Some(&u)).await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    let s = &scim;
    let total = |f: &str| {
        let path = format!("/Users?count=0&filter={}", q(f));
        async move {
            s.get(&path).await.body["totalResults"]
                .as_i64()
                .expect("total")
        }
    };
    assert_eq!(total("userName sw \"user1\"").await, 10);
    assert_eq!(total("userName ew \"5\"").await, 2);
    assert_eq!(total("userName co \"er2\"").await, 5);
    assert_eq!(total("active eq false").await, 5);
    assert_eq!(total("active eq \"False\"").await, 5);
    assert_eq!(total("title pr").await, 13);
    assert_eq!(total("not (title pr)").await, 12);
    assert_eq!(total("userName gt \"user20\"").await, 4);
    assert_eq!(
        total("userName ge \"user20\" and userName le \"user22\"").await,
        3
    );
    assert_eq!(
        total("userName lt \"user03\" or externalId eq \"ext-user24\"").await,
        4
    );
    assert_eq!(total("userName ne \"user00\"").await, 24);
    assert_eq!(
        total("(title pr or active eq false) and userName sw \"user0\"").await,
        6
    );
    assert_eq!(
        total("emails[type eq \"work\" and value ew \"07@example.org\"]").await,
        1
    );
    assert_eq!(total("emails.value co \"user1\"").await, 10);
    assert_eq!(total("displayName eq \"USER03\"").await, 1);
    assert_eq!(
        total("displayName eq \"user03\" and userName eq \"user04\"").await,
        0
    );
    assert_eq!(total("displayName eq \"nobody\"").await, 0);
    assert_eq!(total("externalId eq \"EXT-USER03\"").await, 0);
    assert_eq!(
        total("meta.lastModified gt \"2000-01-01T00:00:00Z\"").await,
        25
    );
    assert_eq!(
        total("meta.lastModified lt \"2000-01-01T00:00:00Z\"").await,
        0
    );

    // startIndex / count with a correct totalResults, also past the end.
    let page = scim.get("/Users?startIndex=11&count=10").await.body;
    assert_eq!(
        (
            page["totalResults"].as_i64(),
            page["startIndex"].as_i64(),
            page["itemsPerPage"].as_i64()
        ),
        (Some(25), Some(11), Some(10))
    );
    let names: Vec<&str> = page["Resources"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["userName"].as_str())
        .collect();
    assert_eq!(names.first(), Some(&"user10"));
    let tail = scim
        .get(&format!(
            "/Users?startIndex=21&count=10&filter={}",
            q("userName sw \"user\"")
        ))
        .await
        .body;
    assert_eq!(
        (tail["totalResults"].as_i64(), tail["itemsPerPage"].as_i64()),
        (Some(25), Some(5))
    );
    let past = scim.get("/Users?startIndex=100").await.body;
    assert_eq!(
        (past["totalResults"].as_i64(), past["itemsPerPage"].as_i64()),
        (Some(25), Some(0))
    );

    // attributes / excludedAttributes.
    let slim = scim
        .get(&format!(
            "/Users?attributes=userName,name.givenName&filter={}",
            q("userName eq \"user01\"")
        ))
        .await
        .body;
    let r = &slim["Resources"][0];
    assert_eq!(
        r.as_object().map(|o| {
            let mut k: Vec<_> = o.keys().cloned().collect();
            k.sort();
            k
        }),
        Some(vec!["id".to_owned(), "schemas".into(), "userName".into()])
    );
    let lean = scim
        .get(&format!(
            "/Users?excludedAttributes=emails,meta&filter={}",
            q("userName eq \"user01\"")
        ))
        .await
        .body;
    assert!(
        lean["Resources"][0].get("emails").is_none() && lean["Resources"][0].get("meta").is_none()
    );
    assert!(lean["Resources"][0].get("userName").is_some());
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn discovery(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let spc = scim.get("/ServiceProviderConfig").await;
    assert_eq!(spc.status, StatusCode::OK);
    assert_eq!(spc.content_type(), "application/scim+json");
    assert_eq!(spc.body["patch"]["supported"], true);
    assert_eq!(spc.body["bulk"]["supported"], false);
    assert_eq!(
        spc.body["filter"],
        json!({ "supported": true, "maxResults": 200 })
    );
    assert_eq!(spc.body["sort"]["supported"], false);
    assert_eq!(spc.body["etag"]["supported"], true);
    assert_eq!(spc.body["changePassword"]["supported"], false);
    assert_eq!(
        spc.body["authenticationSchemes"][0]["type"],
        "oauthbearertoken"
    );
    let types = scim.get("/ResourceTypes").await.body;
    assert_eq!(types["totalResults"], 2);
    assert_eq!(
        scim.get("/ResourceTypes/User").await.body["schemaExtensions"][0]["schema"],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    );
    let schemas = scim.get("/Schemas").await.body;
    assert_eq!(schemas["totalResults"], 3);
    let user_schema = scim.get(&format!("/Schemas/{USER}")).await.body;
    let names: Vec<&str> = user_schema["attributes"]
        .as_array()
        .expect("attrs")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(
        names.contains(&"userName") && names.contains(&"emails") && !names.contains(&"password")
    );
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn deprovisioning_locks_the_user_out(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let created = scim
        .call(Method::POST, "/Users", Some(&user("leaver")))
        .await
        .body;
    let id: uuid::Uuid = created["id"].as_str().expect("id").parse().expect("uuid");
    // The user signed in once: linked identity and a live session.
    let identity = engine::user::LoginIdentity {
        provider: "https://login.example".into(),
        subject: "sub-leaver".into(),
        external_id: Some("ext-leaver".into()),
        username: "leaver".into(),
        ..Default::default()
    };
    assert_eq!(
        engine::user::upsert_at_login(&pool, &identity)
            .await
            .expect("login")
            .id,
        id
    );
    engine::session::create(
        &pool,
        &engine::session::NewSession {
            user_id: id,
            session_key: "redis-key-leaver",
            ip: None,
            user_agent: None,
            expires_at: chrono::Utc::now() + chrono::Duration::hours(8),
        },
    )
    .await
    .expect("session");
    assert!(
        engine::rbac::load_principal(&pool, id, &[], &[])
            .await
            .is_ok()
    );

    // Entra disables the user.
    let off = scim
        .call(Method::PATCH, &format!("/Users/{id}"), Some(&json!({ "schemas": [PATCH], "Operations": [{ "op": "Replace", "path": "active", "value": "False" }] })))
        .await;
    assert_eq!(off.status, StatusCode::OK);
    assert!(
        engine::session::find_active(&pool, "redis-key-leaver")
            .await
            .expect("query")
            .is_none(),
        "session ended"
    );
    assert!(matches!(
        engine::rbac::load_principal(&pool, id, &[], &[]).await,
        Err(engine::Error::AccountDisabled)
    ));
    assert!(matches!(
        engine::user::upsert_at_login(&pool, &identity).await,
        Err(engine::Error::AccountDisabled)
    ));

    // Re-enabled, then deleted: still locked out, and audited.
    scim.call(Method::PATCH, &format!("/Users/{id}"), Some(&json!({ "schemas": [PATCH], "Operations": [{ "op": "replace", "value": { "active": true } }] }))).await;
    assert!(
        engine::rbac::load_principal(&pool, id, &[], &[])
            .await
            .is_ok()
    );
    assert_eq!(
        scim.call(Method::DELETE, &format!("/Users/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert!(
        engine::rbac::load_principal(&pool, id, &[], &[])
            .await
            .is_err()
    );
    assert!(matches!(
        engine::user::upsert_at_login(&pool, &identity).await,
        Err(engine::Error::AccountDisabled)
    ));
    let actions: Vec<(String, String)> = sqlx::query_as(
        "select action, actor_label from audit_log where entity_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .expect("audit");
    let verbs: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        verbs,
        ["user.create", "user.update", "user.update", "user.delete"]
    );
    assert!(actions.iter().all(|(_, actor)| actor == "scim:entra-test"));
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn membership_changes_roles_at_once(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let uid = scim
        .call(Method::POST, "/Users", Some(&user("awarder1")))
        .await
        .body["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let g = scim
        .call(
            Method::POST,
            "/Groups",
            Some(&json!({ "schemas": [GROUP], "displayName": "Awarders", "externalId": "grp-1" })),
        )
        .await
        .body;
    let gid: uuid::Uuid = g["id"].as_str().expect("id").parse().expect("uuid");
    let admin = engine::rbac::Principal::bypass_for_system_task("test");
    let role = engine::role::find_by_name(&pool, "awarder")
        .await
        .expect("query")
        .expect("builtin role");
    engine::role::map(
        &pool,
        &admin.require().expect("cap"),
        &engine::role::RoleSource::Group(gid),
        role.id,
    )
    .await
    .expect("map");
    let user_id: uuid::Uuid = uid.parse().expect("uuid");
    let roles = |p: engine::rbac::Principal| p.roles().iter().cloned().collect::<Vec<_>>();
    assert!(
        roles(
            engine::rbac::load_principal(&pool, user_id, &[], &[])
                .await
                .expect("p")
        )
        .is_empty()
    );

    let add = json!({ "schemas": [PATCH], "Operations": [{ "op": "add", "path": "members", "value": [{ "value": uid }] }] });
    assert_eq!(
        scim.call(Method::PATCH, &format!("/Groups/{gid}"), Some(&add))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        roles(
            engine::rbac::load_principal(&pool, user_id, &[], &[])
                .await
                .expect("p")
        ),
        ["awarder"]
    );
    let filtered = scim
        .get(&format!(
            "/Groups?filter={}",
            q(&format!("members[value eq \"{uid}\"]"))
        ))
        .await
        .body;
    assert_eq!(filtered["totalResults"], 1);

    let remove = json!({ "schemas": [PATCH], "Operations": [{ "op": "remove", "path": format!("members[value eq \"{uid}\"]") }] });
    assert_eq!(
        scim.call(Method::PATCH, &format!("/Groups/{gid}"), Some(&remove))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert!(
        roles(
            engine::rbac::load_principal(&pool, user_id, &[], &[])
                .await
                .expect("p")
        )
        .is_empty()
    );

    // PUT replaces the member list; an unknown member id is invalidValue.
    let put =
        json!({ "schemas": [GROUP], "displayName": "Awarders", "members": [{ "value": uid }] });
    let replaced = scim
        .call(Method::PUT, &format!("/Groups/{gid}"), Some(&put))
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{:?}", replaced.body);
    assert_eq!(replaced.body["members"][0]["value"], uid.as_str());
    let bad = json!({ "schemas": [PATCH], "Operations": [{ "op": "add", "path": "members", "value": [{ "value": "00000000-0000-0000-0000-000000000000" }] }] });
    assert_scim_error(
        &scim
            .call(Method::PATCH, &format!("/Groups/{gid}"), Some(&bad))
            .await,
        400,
        Some("invalidValue"),
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where entity_id = $1 and actor_label = 'scim:entra-test'",
    )
    .bind(gid)
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(audited, 4, "create, add, remove, replace");
}

/// One request with 100,000 nested parentheses used to overflow the parser's stack and abort
/// the whole server; it is now a plain 400 and the server keeps answering.
#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn deeply_nested_filters_and_paths_are_refused(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let g = scim
        .call(
            Method::POST,
            "/Groups",
            Some(&json!({ "schemas": [GROUP], "displayName": "Nested" })),
        )
        .await;
    assert_eq!(g.status, StatusCode::CREATED);
    let gid = g.body["id"].as_str().expect("id").to_owned();
    let nested = format!(
        "{}value eq \"x\"{}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let patch = json!({
        "schemas": [PATCH],
        "Operations": [{ "op": "remove", "path": format!("members[{nested}]") }],
    });
    let answer = scim
        .call(Method::PATCH, &format!("/Groups/{gid}"), Some(&patch))
        .await;
    assert_scim_error(&answer, 400, Some("invalidPath"));

    // Deep but short: within the length cap, over the depth cap.
    let deep = format!("{}userName eq \"x\"{}", "(".repeat(40), ")".repeat(40));
    let answer = scim
        .call(Method::GET, &format!("/Users?filter={}", q(&deep)), None)
        .await;
    assert_scim_error(&answer, 400, Some("invalidFilter"));
    // A long `and` chain in a path is refused by length before anything recursive sees it.
    let chain = vec!["value eq \"x\""; 20_000].join(" and ");
    let patch = json!({
        "schemas": [PATCH],
        "Operations": [{ "op": "remove", "path": format!("members[{chain}]") }],
    });
    let answer = scim
        .call(Method::PATCH, &format!("/Groups/{gid}"), Some(&patch))
        .await;
    assert_scim_error(&answer, 400, Some("invalidPath"));

    // Nesting within the limits still works.
    let fine = format!("{}userName eq \"x\"{}", "(".repeat(30), ")".repeat(30));
    let answer = scim
        .call(Method::GET, &format!("/Users?filter={}", q(&fine)), None)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        scim.call(Method::GET, &format!("/Groups/{gid}"), None)
            .await
            .status,
        StatusCode::OK
    );
}

/// Failed token checks are limited per address (429 with Retry-After after 20 in ten
/// minutes); a valid token from the same address still works, and other addresses are untouched.
#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn failed_authentications_are_limited_per_address(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    // A fresh address per run, so runs sharing one Redis do not see each other's failures.
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let ip = std::net::Ipv4Addr::new(10, bytes[0], bytes[1], bytes[2]);
    let from =
        |ip: std::net::Ipv4Addr, token: &str| {
            let mut request = Request::get("/scim/v2/Users")
                .header("authorization", format!("Bearer {token}"))
                .body(Body::empty())
                .expect("request");
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from((ip, 40000)),
            ));
            request
        };
    for attempt in 1..=20 {
        let answer = scim.send(from(ip, "scim_wrong")).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let limited = scim.send(from(ip, "scim_wrong")).await;
    assert_scim_error(&limited, 429, None);
    assert!(limited.headers.contains_key("retry-after"));
    let valid = scim.send(from(ip, &scim.token.clone())).await;
    assert_eq!(valid.status, StatusCode::OK);
    let elsewhere = std::net::Ipv4Addr::new(10, bytes[2], bytes[1], bytes[0].wrapping_add(1));
    let other = scim.send(from(elsewhere, "scim_wrong")).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test]
async fn each_token_is_held_to_its_rate(pool: PgPool) {
    let scim = Scim::with(&pool, &[("SCIM_RATE_LIMIT_PER_MINUTE", "3")]).await;
    for attempt in 1..=3 {
        let answer = scim.get("/Users").await;
        assert_eq!(answer.status, StatusCode::OK, "request {attempt}");
    }
    let limited = scim.get("/Users").await;
    assert_scim_error(&limited, 429, None);
    assert!(limited.headers.contains_key("retry-after"));
    // The budget belongs to the token: another token is not held back by this one.
    let auth = engine::rbac::Principal::bypass_for_system_task("test")
        .require()
        .expect("capability");
    let other = engine::scim_token::create(&pool, &auth, "entra-other", None)
        .await
        .expect("token")
        .secret;
    let request = Request::get("/scim/v2/Users")
        .header("authorization", format!("Bearer {other}"))
        .body(Body::empty())
        .expect("request");
    assert_eq!(scim.send(request).await.status, StatusCode::OK);
}

#[sqlx::test]
async fn trusted_proxies_name_the_client_for_the_failure_limit(pool: PgPool) {
    let scim = Scim::with(&pool, &[("TRUSTED_PROXIES", "10.0.0.0/8")]).await;
    // Fresh addresses per run, so runs sharing one Redis do not see each other's failures.
    let b = uuid::Uuid::new_v4().into_bytes();
    let proxy = std::net::Ipv4Addr::new(10, b[0], b[1], b[2]);
    let client = std::net::Ipv4Addr::new(198, 18, b[3], b[4]);
    let neighbour = std::net::Ipv4Addr::new(198, 19, b[3], b[4]);
    let via_proxy =
        |forwarded_for: std::net::Ipv4Addr| {
            let mut request = Request::get("/scim/v2/Users")
                .header("authorization", "Bearer scim_wrong")
                .header("x-forwarded-for", forwarded_for.to_string())
                .body(Body::empty())
                .expect("request");
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from((proxy, 40000)),
            ));
            request
        };
    for attempt in 1..=20 {
        let answer = scim.send(via_proxy(client)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    assert_scim_error(&scim.send(via_proxy(client)).await, 429, None);
    // Another client behind the same proxy has its own budget.
    let other = scim.send(via_proxy(neighbour)).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
}
