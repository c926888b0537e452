//! Replays the request/response sequences Microsoft documents in "Develop and plan provisioning
//! for a SCIM endpoint in Microsoft Entra ID" (User and Group operations), with the ids our
//! endpoint hands out substituted, plus the quirks Entra's provisioning service really sends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

mod scim_support;

use http::{Method, StatusCode};
use scim_support::{Scim, q};
use serde_json::{Value, json};
use sqlx::PgPool;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn ms_create_user() -> Value {
    json!({
        "schemas": [USER, ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
        "active": true,
        "emails": [{
            "primary": true,
            "type": "work",
            "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"
        }],
        "meta": { "resourceType": "User" },
        "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" },
        "roles": []
    })
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn microsoft_user_operations(pool: PgPool) {
    let scim = Scim::new(&pool).await;

    // Create User
    let created = scim
        .call(Method::POST, "/Users", Some(&ms_create_user()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.content_type(), "application/scim+json");
    let u = &created.body;
    let id = u["id"].as_str().expect("id").to_owned();
    assert_eq!(u["schemas"][0], USER);
    assert_eq!(u["externalId"], "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
    assert_eq!(
        u["userName"],
        "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"
    );
    assert_eq!(u["active"], true);
    assert_eq!(
        u["name"],
        json!({ "familyName": "familyName", "givenName": "givenName" })
    );
    assert_eq!(
        u["emails"],
        json!([{ "primary": true, "type": "work", "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }])
    );
    assert_eq!(u["meta"]["resourceType"], "User");
    assert!(u["meta"]["created"].is_string() && u["meta"]["lastModified"].is_string());
    assert_eq!(
        u["meta"]["location"],
        format!("https://badges.example.org/scim/v2/Users/{id}")
    );
    assert_eq!(
        created.headers["location"],
        format!("https://badges.example.org/scim/v2/Users/{id}").as_str()
    );
    assert_eq!(created.headers["etag"], "W/\"1\"");

    // Get User
    let got = scim.get(&format!("/Users/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body, created.body);

    // Get User by query (Entra's userName lookups may differ in case)
    for name in [
        "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
        "test_user_AB6490EE-1e48-479e-a20b-2d77186b5dd1",
    ] {
        let found = scim
            .get(&format!(
                "/Users?filter={}",
                q(&format!("userName eq \"{name}\""))
            ))
            .await;
        assert_eq!(found.status, StatusCode::OK);
        assert_eq!(found.body["schemas"], json!([LIST]));
        assert_eq!(found.body["totalResults"], 1);
        assert_eq!(found.body["startIndex"], 1);
        assert_eq!(found.body["itemsPerPage"], 1);
        assert_eq!(found.body["Resources"][0]["id"], id.as_str());
    }

    // Get User by query - Zero results
    let none = scim
        .get(&format!(
            "/Users?filter={}",
            q("userName eq \"non-existent user\"")
        ))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(
        none.body,
        json!({ "schemas": [LIST], "totalResults": 0, "Resources": [], "startIndex": 1, "itemsPerPage": 0 })
    );

    // Update User [Multi-valued properties]
    let patched = scim
        .call(Method::PATCH, &format!("/Users/{id}"), Some(&json!({
            "schemas": [PATCH],
            "Operations": [
                { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com" },
                { "op": "Replace", "path": "name.familyName", "value": "updatedFamilyName" }
            ]
        })))
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert_eq!(
        patched.body["emails"],
        json!([{ "primary": true, "type": "work", "value": "updatedEmail@microsoft.com" }])
    );
    assert_eq!(patched.body["name"]["familyName"], "updatedFamilyName");
    assert_eq!(patched.body["name"]["givenName"], "givenName");
    let admin = engine::rbac::Principal::bypass_for_system_task("test")
        .require::<engine::rbac::can::ManageUsers>()
        .expect("capability");
    let stored = engine::user::get(&pool, &admin, id.parse().expect("uuid"))
        .await
        .expect("user");
    assert_eq!(
        stored.email.as_deref(),
        Some("updatedEmail@microsoft.com"),
        "primary e-mail column follows"
    );

    // Update User [Single-valued properties]
    let patched = scim
        .call(Method::PATCH, &format!("/Users/{id}"), Some(&json!({
            "schemas": [PATCH],
            "Operations": [{ "op": "Replace", "path": "userName", "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" }]
        })))
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(
        patched.body["userName"],
        "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
    );

    // Disable User
    let disabled = scim
        .call(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(&json!({
                "schemas": [PATCH],
                "Operations": [{ "op": "Replace", "path": "active", "value": false }]
            })),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK);
    assert_eq!(disabled.body["active"], false);

    // Delete User
    let deleted = scim
        .call(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(deleted.body, Value::Null);
    let gone = scim.get(&format!("/Users/{id}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(
        gone.body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(gone.body["status"], "404");
    // Soft: the row stays for audit and awarded credentials.
    let row = engine::user::get_any(&pool, id.parse().expect("uuid"))
        .await
        .expect("query");
    assert!(row.is_some_and(|u| u.deleted_at.is_some() && !u.active));
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn microsoft_group_operations(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let member = scim
        .call(Method::POST, "/Users", Some(&ms_create_user()))
        .await;
    let member_id = member.body["id"].as_str().expect("id").to_owned();

    // Create Group (Entra adds its own ADSCIM schema URN)
    let created = scim
        .call(Method::POST, "/Groups", Some(&json!({
            "schemas": [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName",
            "meta": { "resourceType": "Group" }
        })))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let g = &created.body;
    let id = g["id"].as_str().expect("id").to_owned();
    assert_eq!(g["schemas"], json!([GROUP]));
    assert_eq!(g["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    assert_eq!(g["displayName"], "displayName");
    assert_eq!(g["members"], json!([]));
    assert_eq!(g["meta"]["resourceType"], "Group");

    // Get Group
    let got = scim
        .get(&format!("/Groups/{id}?excludedAttributes=members"))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.body.get("members").is_none());
    assert_eq!(got.body["displayName"], "displayName");

    // Get Group by displayName
    let found = scim
        .get(&format!(
            "/Groups?excludedAttributes=members&filter={}",
            q("displayName eq \"displayName\"")
        ))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body["totalResults"], 1);
    assert_eq!(found.body["Resources"][0]["id"], id.as_str());
    assert!(found.body["Resources"][0].get("members").is_none());

    // Update Group [Non-member attributes]
    let renamed = scim
        .call(Method::PATCH, &format!("/Groups/{id}"), Some(&json!({
            "schemas": [PATCH],
            "Operations": [{ "op": "Replace", "path": "displayName", "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" }]
        })))
        .await;
    assert_eq!(renamed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        scim.get(&format!("/Groups/{id}")).await.body["displayName"],
        "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    );

    // Update Group [Add Members]
    let added = scim
        .call(Method::PATCH, &format!("/Groups/{id}"), Some(&json!({
            "schemas": [PATCH],
            "Operations": [{ "op": "Add", "path": "members", "value": [{ "$ref": null, "value": member_id }] }]
        })))
        .await;
    assert_eq!(added.status, StatusCode::NO_CONTENT, "{:?}", added.body);
    let with = scim.get(&format!("/Groups/{id}")).await;
    assert_eq!(with.body["members"][0]["value"], member_id.as_str());
    assert_eq!(with.body["members"].as_array().map(Vec::len), Some(1));

    // Update Group [Remove Members]
    let removed = scim
        .call(Method::PATCH, &format!("/Groups/{id}"), Some(&json!({
            "schemas": [PATCH],
            "Operations": [{ "op": "Remove", "path": "members", "value": [{ "$ref": null, "value": member_id }] }]
        })))
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        scim.get(&format!("/Groups/{id}")).await.body["members"],
        json!([])
    );

    // Delete Group
    let deleted = scim
        .call(Method::DELETE, &format!("/Groups/{id}"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        scim.get(&format!("/Groups/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "engine::MIGRATOR")]
async fn entra_quirks(pool: PgPool) {
    let scim = Scim::new(&pool).await;
    let boss = scim
        .call(
            Method::POST,
            "/Users",
            Some(&json!({ "schemas": [USER], "userName": "boss@contoso.com" })),
        )
        .await;
    let boss_id = boss.body["id"].as_str().expect("id").to_owned();
    let u = scim
        .call(Method::POST, "/Users", Some(&json!({
            "schemas": [USER, ENTERPRISE],
            "userName": "ellen@contoso.com",
            "active": "True",
            ENTERPRISE: { "department": "HR", "employeeNumber": "100009", "manager": { "value": boss_id } }
        })))
        .await;
    assert_eq!(u.status, StatusCode::CREATED, "{:?}", u.body);
    let id = u.body["id"].as_str().expect("id").to_owned();
    assert_eq!(u.body[ENTERPRISE]["manager"]["value"], boss_id.as_str());
    assert_eq!(u.body["schemas"], json!([USER, ENTERPRISE]));

    // Path-less replace with path keys, "False" as a string, the manager as a bare value,
    // a work e-mail that does not exist yet.
    let patched = scim
        .call(Method::PATCH, &format!("/Users/{id}"), Some(&json!({
            "schemas": [PATCH],
            "Operations": [
                { "op": "replace", "value": { "displayName": "Ellen R", "name.givenName": "Ellen", "active": "False",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Human Resources US" } },
                { "op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": boss_id },
                { "op": "Add", "path": "emails[type eq \"work\"].value", "value": "ellen@contoso.com" }
            ]
        })))
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    let b = &patched.body;
    assert_eq!(b["displayName"], "Ellen R");
    assert_eq!(b["name"]["givenName"], "Ellen");
    assert_eq!(b["active"], false);
    assert_eq!(b[ENTERPRISE]["department"], "Human Resources US");
    assert_eq!(b[ENTERPRISE]["employeeNumber"], "100009");
    assert_eq!(b[ENTERPRISE]["manager"]["value"], boss_id.as_str());
    assert_eq!(
        b["emails"],
        json!([{ "type": "work", "value": "ellen@contoso.com" }])
    );

    // Filter by value path and by the enterprise attribute.
    let found = scim.get(&format!("/Users?filter={}", q("emails[type eq \"work\" and value eq \"ellen@contoso.com\"] and department eq \"Human Resources US\""))).await;
    assert_eq!(found.status, StatusCode::OK, "{:?}", found.body);
    assert_eq!(found.body["totalResults"], 1);

    // Manager removal.
    let cleared = scim
        .call(Method::PATCH, &format!("/Users/{id}"), Some(&json!({
            "schemas": [PATCH],
            "Operations": [{ "op": "Remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" }]
        })))
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert!(cleared.body[ENTERPRISE].get("manager").is_none());

    // An unchanged PATCH writes nothing (no new version, no audit row).
    let before = cleared.body["meta"]["version"].clone();
    let same = scim
        .call(Method::PATCH, &format!("/Users/{id}"), Some(&json!({
            "schemas": [PATCH], "Operations": [{ "op": "replace", "path": "displayName", "value": "Ellen R" }]
        })))
        .await;
    assert_eq!(same.body["meta"]["version"], before);
}
