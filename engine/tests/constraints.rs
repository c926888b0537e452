//! Every schema constraint, violated on purpose, must come back as the typed error naming the
//! field. The statements are deliberately raw SQL: the engine's own functions validate input
//! before the database sees it, and this proves the database still refuses when they don't.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly; see Cargo.toml

use engine::Error;
use sqlx::PgPool;

#[derive(Debug, Clone, Copy)]
enum Want {
    Conflict(&'static str),
    Invalid(&'static str),
}

use Want::{Conflict, Invalid};

const ALICE: &str = "'00000000-0000-7000-8000-000000000a01'";

fn cases() -> Vec<(&'static str, String, Want)> {
    let u = |s: &str| s.replace("ALICE", ALICE);
    vec![
        // users
        (
            "username ci unique",
            u("insert into users (username) values ('Alice')"),
            Conflict("username"),
        ),
        (
            "email ci unique",
            u("insert into users (username, email) values ('x', 'Alice@Example.org')"),
            Conflict("email"),
        ),
        (
            "external id unique",
            u("insert into users (username, external_id) values ('x', 'ext-alice')"),
            Conflict("external_id"),
        ),
        (
            "identity unique",
            u(
                "insert into users (username, identity_provider, subject) values ('x', 'https://idp', 'sub-alice')",
            ),
            Conflict("subject"),
        ),
        (
            "username blank",
            u("insert into users (username) values ('  ')"),
            Invalid("username"),
        ),
        (
            "email format",
            u("insert into users (username, email) values ('x', 'nope')"),
            Invalid("email"),
        ),
        (
            "identity pair",
            u("insert into users (username, identity_provider) values ('x', 'https://idp')"),
            Invalid("subject"),
        ),
        (
            "own manager",
            u("update users set manager_id = id where id = ALICE"),
            Invalid("manager_id"),
        ),
        (
            "manager fk",
            u("update users set manager_id = gen_random_uuid() where id = ALICE"),
            Invalid("manager_id"),
        ),
        (
            "emails array",
            u("update users set emails = '{}' where id = ALICE"),
            Invalid("emails"),
        ),
        (
            "phone numbers array",
            u("update users set phone_numbers = '1' where id = ALICE"),
            Invalid("phone_numbers"),
        ),
        (
            "addresses array",
            u("update users set addresses = '\"x\"' where id = ALICE"),
            Invalid("addresses"),
        ),
        (
            "user version",
            u("update users set version = 0 where id = ALICE"),
            Invalid("version"),
        ),
        (
            "deleted must be inactive",
            u("update users set deleted_at = now() where id = ALICE"),
            Invalid("deleted_at"),
        ),
        // sessions
        (
            "session key length",
            u(
                "insert into sessions (user_id, key_hash, expires_at) values (ALICE, '\\x01', now() + interval '1 h')",
            ),
            Invalid("key_hash"),
        ),
        (
            "session key unique",
            u(
                "insert into sessions (user_id, key_hash, expires_at) values (ALICE, '\\x2222222222222222222222222222222222222222222222222222222222222222', now() + interval '1 h')",
            ),
            Conflict("session_key"),
        ),
        (
            "session expiry",
            u(
                "insert into sessions (user_id, key_hash, expires_at) values (ALICE, '\\x3333333333333333333333333333333333333333333333333333333333333333', now() - interval '1 h')",
            ),
            Invalid("expires_at"),
        ),
        (
            "session user fk",
            u(
                "insert into sessions (user_id, key_hash, expires_at) values (gen_random_uuid(), '\\x4444444444444444444444444444444444444444444444444444444444444444', now() + interval '1 h')",
            ),
            Invalid("user_id"),
        ),
        // rbac
        (
            "role name ci unique",
            u("insert into roles (name) values ('ADMIN')"),
            Conflict("name"),
        ),
        (
            "role name format",
            u("insert into roles (name) values ('bad name!')"),
            Invalid("name"),
        ),
        (
            "role version",
            u("update roles set version = 0"),
            Invalid("version"),
        ),
        (
            "permission format",
            u("insert into permissions (name, description) values ('Bad', '')"),
            Invalid("name"),
        ),
        (
            "role permission fk",
            u(
                "insert into role_permissions (role_id, permission) values ('00000000-0000-7000-8000-000000000b01', 'fly')",
            ),
            Invalid("permissions"),
        ),
        (
            "role permission role fk",
            u(
                "insert into role_permissions (role_id, permission) values (gen_random_uuid(), 'award')",
            ),
            Invalid("role_id"),
        ),
        (
            "user role fk",
            u("insert into user_roles (user_id, role_id) values (ALICE, gen_random_uuid())"),
            Invalid("role_id"),
        ),
        (
            "user role user fk",
            u(
                "insert into user_roles (user_id, role_id) values (gen_random_uuid(), '00000000-0000-7000-8000-000000000b01')",
            ),
            Invalid("user_id"),
        ),
        (
            "user role pk",
            u(
                "insert into user_roles (user_id, role_id) values (ALICE, '00000000-0000-7000-8000-000000000b01')",
            ),
            Conflict("pkey"),
        ),
        // client apps
        (
            "client app owner fk",
            u(
                "insert into oauth_client_apps (owner_id, name, secret_hash, secret_prefix) values (gen_random_uuid(), 'x', '\\x5555555555555555555555555555555555555555555555555555555555555555', 'p')",
            ),
            Invalid("owner_id"),
        ),
        (
            "client app secret length",
            u(
                "insert into oauth_client_apps (owner_id, name, secret_hash, secret_prefix) values (ALICE, 'x', '\\x55', 'p')",
            ),
            Invalid("secret_hash"),
        ),
        (
            "client app name",
            u(
                "insert into oauth_client_apps (owner_id, name, secret_hash, secret_prefix) values (ALICE, ' ', '\\x6666666666666666666666666666666666666666666666666666666666666666', 'p')",
            ),
            Invalid("name"),
        ),
        (
            "client app secret unique",
            u(
                "insert into oauth_client_apps (owner_id, name, secret_hash, secret_prefix) values (ALICE, 'x', '\\x0000000000000000000000000000000000000000000000000000000000000000', 'p')",
            ),
            Conflict("secret_hash"),
        ),
        (
            "client role ci unique",
            u(
                "insert into client_roles (client_id, name) values ('00000000-0000-7000-8000-000000001401', 'READER')",
            ),
            Conflict("name"),
        ),
        (
            "client role name",
            u(
                "insert into client_roles (client_id, name) values ('00000000-0000-7000-8000-000000001401', '')",
            ),
            Invalid("name"),
        ),
        (
            "owner with apps not deletable",
            u("delete from users where id = '00000000-0000-7000-8000-000000000a02'"),
            Invalid("owner_id"),
        ),
        // SCIM groups and tokens
        (
            "group name ci unique",
            u("insert into groups (display_name) values ('STAFF')"),
            Conflict("display_name"),
        ),
        (
            "group external id unique",
            u("insert into groups (display_name, external_id) values ('x', 'ext-group')"),
            Conflict("external_id"),
        ),
        (
            "group name blank",
            u("insert into groups (display_name) values (' ')"),
            Invalid("display_name"),
        ),
        (
            "group member user fk",
            u(
                "insert into group_members (group_id, user_id) values ('00000000-0000-7000-8000-000000000c01', gen_random_uuid())",
            ),
            Invalid("members"),
        ),
        (
            "group role source",
            u("insert into group_roles (role_id) values ('00000000-0000-7000-8000-000000000b01')"),
            Invalid("group_id"),
        ),
        (
            "group role both sources",
            u(
                "insert into group_roles (group_id, claim_value, claim_kind, role_id) values ('00000000-0000-7000-8000-000000000c01', 'c', 'group', '00000000-0000-7000-8000-000000000b01')",
            ),
            Invalid("group_id"),
        ),
        (
            "group role claim unique",
            u(
                "insert into group_roles (claim_value, claim_kind, role_id) values ('claim-x', 'app_role', '00000000-0000-7000-8000-000000000b01')",
            ),
            Conflict("role_id"),
        ),
        (
            "group role claim blank",
            u(
                "insert into group_roles (claim_value, claim_kind, role_id) values (' ', 'group', '00000000-0000-7000-8000-000000000b01')",
            ),
            Invalid("claim_value"),
        ),
        (
            "group role claim without kind",
            u(
                "insert into group_roles (claim_value, role_id) values ('claim-y', '00000000-0000-7000-8000-000000000b01')",
            ),
            Invalid("claim_kind"),
        ),
        (
            "group role unknown claim kind",
            u(
                "insert into group_roles (claim_value, claim_kind, role_id) values ('claim-y', 'tenant', '00000000-0000-7000-8000-000000000b01')",
            ),
            Invalid("claim_kind"),
        ),
        (
            "scim token unique",
            u(
                "insert into scim_tokens (name, token_hash, prefix) values ('x', '\\x1111111111111111111111111111111111111111111111111111111111111111', 'p')",
            ),
            Conflict("token"),
        ),
        (
            "scim token length",
            u("insert into scim_tokens (name, token_hash, prefix) values ('x', '\\x11', 'p')"),
            Invalid("token_hash"),
        ),
        (
            "scim token name",
            u(
                "insert into scim_tokens (name, token_hash, prefix) values (' ', '\\x7777777777777777777777777777777777777777777777777777777777777777', 'p')",
            ),
            Invalid("name"),
        ),
        (
            "scim token expiry",
            u(
                "insert into scim_tokens (name, token_hash, prefix, expires_at) values ('x', '\\x8888888888888888888888888888888888888888888888888888888888888888', 'p', now() - interval '1 d')",
            ),
            Invalid("expiry"),
        ),
        // issuers and keys
        (
            "issuer name",
            u("insert into issuers (name) values ('')"),
            Invalid("name"),
        ),
        (
            "issuer url",
            u("insert into issuers (name, url) values ('x', 'ftp://x')"),
            Invalid("url"),
        ),
        (
            "issuer email",
            u("insert into issuers (name, email) values ('x', 'x')"),
            Invalid("email"),
        ),
        (
            "issuer address object",
            u("insert into issuers (name, address) values ('x', '[]')"),
            Invalid("address"),
        ),
        (
            "issuer did format",
            u("insert into issuers (name, did) values ('x', 'key:abc')"),
            Invalid("did"),
        ),
        (
            "issuer did unique",
            u(
                "insert into issuers (name, did) values ('x', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK')",
            ),
            Conflict("did"),
        ),
        (
            "issuer own parent",
            u("update issuers set parent_id = id where name = 'Issuer One'"),
            Invalid("parent_id"),
        ),
        (
            "issuer parent fk",
            u("update issuers set parent_id = gen_random_uuid() where name = 'Issuer One'"),
            Invalid("parent_id"),
        ),
        (
            "issuer version",
            u("update issuers set version = 0"),
            Invalid("version"),
        ),
        (
            "one active key",
            u(
                "insert into signing_keys (issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id) values ('00000000-0000-7000-8000-000000000d01', 'z6MkotherKey', '\\x01', '\\x000000000000000000000000', 'k')",
            ),
            Conflict("signing_key"),
        ),
        (
            "key algorithm",
            u(
                "insert into signing_keys (issuer_id, algorithm, public_key_multibase, encrypted_secret, nonce, kek_id) values ('00000000-0000-7000-8000-000000000d02', 'RSA', 'z6MkotherKey', '\\x01', '\\x000000000000000000000000', 'k')",
            ),
            Invalid("algorithm"),
        ),
        (
            "key multibase",
            u(
                "insert into signing_keys (issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id) values ('00000000-0000-7000-8000-000000000d02', 'u0OIl', '\\x01', '\\x000000000000000000000000', 'k')",
            ),
            Invalid("public_key"),
        ),
        (
            "key multibase unique",
            u(
                "insert into signing_keys (issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id) values ('00000000-0000-7000-8000-000000000d02', 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', '\\x01', '\\x000000000000000000000000', 'k')",
            ),
            Conflict("public_key"),
        ),
        (
            "key nonce",
            u(
                "insert into signing_keys (issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id) values ('00000000-0000-7000-8000-000000000d02', 'z6MkotherKey', '\\x01', '\\x00', 'k')",
            ),
            Invalid("nonce"),
        ),
        (
            "key secret",
            u(
                "insert into signing_keys (issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id) values ('00000000-0000-7000-8000-000000000d02', 'z6MkotherKey', '', '\\x000000000000000000000000', 'k')",
            ),
            Invalid("encrypted_secret"),
        ),
        (
            "key kek id",
            u(
                "insert into signing_keys (issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id) values ('00000000-0000-7000-8000-000000000d02', 'z6MkotherKey', '\\x01', '\\x000000000000000000000000', ' ')",
            ),
            Invalid("kek_id"),
        ),
        (
            "key retired before created",
            u("update signing_keys set retired_at = created_at - interval '1 d'"),
            Invalid("retired"),
        ),
        (
            "key issuer fk",
            u(
                "insert into signing_keys (issuer_id, public_key_multibase, encrypted_secret, nonce, kek_id) values (gen_random_uuid(), 'z6MkotherKey', '\\x01', '\\x000000000000000000000000', 'k')",
            ),
            Invalid("issuer_id"),
        ),
        // achievements
        (
            "achievement type",
            u(
                "insert into achievements (issuer_id, name, criteria_narrative, achievement_type) values ('00000000-0000-7000-8000-000000000d01', 'x', 'n', 'Bogus')",
            ),
            Invalid("achievement_type"),
        ),
        (
            "achievement ext type bad",
            u(
                "insert into achievements (issuer_id, name, criteria_narrative, achievement_type) values ('00000000-0000-7000-8000-000000000d01', 'x', 'n', 'ext:has space')",
            ),
            Invalid("achievement_type"),
        ),
        (
            "achievement criteria",
            u(
                "insert into achievements (issuer_id, name) values ('00000000-0000-7000-8000-000000000d01', 'x')",
            ),
            Invalid("criteria"),
        ),
        (
            "achievement criteria url",
            u(
                "insert into achievements (issuer_id, name, criteria_url) values ('00000000-0000-7000-8000-000000000d01', 'x', 'javascript:x')",
            ),
            Invalid("criteria_url"),
        ),
        (
            "achievement validity",
            u(
                "insert into achievements (issuer_id, name, criteria_narrative, valid_for, valid_until) values ('00000000-0000-7000-8000-000000000d01', 'x', 'n', interval '1 day', now())",
            ),
            Invalid("valid_for"),
        ),
        (
            "achievement valid for positive",
            u(
                "insert into achievements (issuer_id, name, criteria_narrative, valid_for) values ('00000000-0000-7000-8000-000000000d01', 'x', 'n', interval '-1 day')",
            ),
            Invalid("valid_for"),
        ),
        (
            "achievement credits",
            u(
                "insert into achievements (issuer_id, name, criteria_narrative, credits_available) values ('00000000-0000-7000-8000-000000000d01', 'x', 'n', -1)",
            ),
            Invalid("credits"),
        ),
        (
            "achievement name",
            u(
                "insert into achievements (issuer_id, name, criteria_narrative) values ('00000000-0000-7000-8000-000000000d01', ' ', 'n')",
            ),
            Invalid("name"),
        ),
        (
            "achievement issuer fk",
            u(
                "insert into achievements (issuer_id, name, criteria_narrative) values (gen_random_uuid(), 'x', 'n')",
            ),
            Invalid("issuer_id"),
        ),
        (
            "issuer with achievements not deletable",
            u("delete from issuers where id = '00000000-0000-7000-8000-000000000d02'"),
            Invalid("issuer_id"),
        ),
        (
            "alignment position unique",
            u(
                "insert into achievement_alignments (achievement_id, position, target_name, target_url) values ('00000000-0000-7000-8000-000000000e01', 0, 'x', 'https://x')",
            ),
            Conflict("position"),
        ),
        (
            "alignment type",
            u(
                "insert into achievement_alignments (achievement_id, position, target_name, target_url, target_type) values ('00000000-0000-7000-8000-000000000e01', 1, 'x', 'https://x', 'Nope')",
            ),
            Invalid("target_type"),
        ),
        (
            "alignment url",
            u(
                "insert into achievement_alignments (achievement_id, position, target_name, target_url) values ('00000000-0000-7000-8000-000000000e01', 1, 'x', 'no url')",
            ),
            Invalid("target_url"),
        ),
        (
            "alignment position",
            u(
                "insert into achievement_alignments (achievement_id, position, target_name, target_url) values ('00000000-0000-7000-8000-000000000e01', -1, 'x', 'https://x')",
            ),
            Invalid("position"),
        ),
        (
            "result type",
            u(
                "insert into achievement_result_descriptions (achievement_id, position, name, result_type) values ('00000000-0000-7000-8000-000000000e01', 5, 'x', 'Nope')",
            ),
            Invalid("result_type"),
        ),
        (
            "result position unique",
            u(
                "insert into achievement_result_descriptions (achievement_id, position, name, result_type) values ('00000000-0000-7000-8000-000000000e01', 0, 'x', 'Status')",
            ),
            Conflict("position"),
        ),
        (
            "required level of another description",
            u(
                "update achievement_result_descriptions set required_level_id = '00000000-0000-7000-8000-000000001302' where id = '00000000-0000-7000-8000-000000001201'",
            ),
            Invalid("required_level"),
        ),
        (
            "rubric level position unique",
            u(
                "insert into rubric_criterion_levels (result_description_id, position, name) values ('00000000-0000-7000-8000-000000001201', 0, 'B')",
            ),
            Conflict("position"),
        ),
        (
            "rubric level name",
            u(
                "insert into rubric_criterion_levels (result_description_id, position, name) values ('00000000-0000-7000-8000-000000001201', 1, '')",
            ),
            Invalid("name"),
        ),
        // status lists
        (
            "status purpose",
            u(
                "insert into status_lists (issuer_id, purpose, bitstring, size) values ('00000000-0000-7000-8000-000000000d01', 'fun', '\\x00', 8)",
            ),
            Invalid("purpose"),
        ),
        (
            "status size",
            u(
                "insert into status_lists (issuer_id, purpose, bitstring, size) values ('00000000-0000-7000-8000-000000000d01', 'revocation', '', 0)",
            ),
            Invalid("size"),
        ),
        (
            "status bitstring",
            u(
                "insert into status_lists (issuer_id, purpose, bitstring, size) values ('00000000-0000-7000-8000-000000000d01', 'revocation', '\\x0000', 8)",
            ),
            Invalid("bitstring"),
        ),
        (
            "status next index",
            u("update status_lists set next_index = 9"),
            Invalid("next_index"),
        ),
        (
            "issuer with lists not deletable",
            u(
                "delete from achievements where issuer_id = '00000000-0000-7000-8000-000000000d01' and false; delete from credentials; delete from achievements; delete from signing_keys; delete from issuers where id = '00000000-0000-7000-8000-000000000d01'",
            ),
            Invalid("issuer_id"),
        ),
        // credentials
        (
            "credential achievement of other issuer",
            u(
                "insert into credentials (achievement_id, issuer_id, recipient_name, recipient_email, identity_hash, identity_salt, credential, issued_at) values ('00000000-0000-7000-8000-000000000e02', '00000000-0000-7000-8000-000000000d01', 'x', 'x@y', 'sha256$0000000000000000000000000000000000000000000000000000000000000000', 's', '{}', now())",
            ),
            Invalid("achievement_id"),
        ),
        (
            "credential status entry unique",
            u(
                "insert into credentials (achievement_id, issuer_id, recipient_name, recipient_email, identity_hash, identity_salt, credential, issued_at, status_list_id, status_list_index) values ('00000000-0000-7000-8000-000000000e01', '00000000-0000-7000-8000-000000000d01', 'x', 'x@y', 'sha256$0000000000000000000000000000000000000000000000000000000000000000', 's', '{}', now(), '00000000-0000-7000-8000-000000001001', 0)",
            ),
            Conflict("status_list_index"),
        ),
        (
            "credential status pair",
            u(
                "insert into credentials (achievement_id, issuer_id, recipient_name, recipient_email, identity_hash, identity_salt, credential, issued_at, status_list_id) values ('00000000-0000-7000-8000-000000000e01', '00000000-0000-7000-8000-000000000d01', 'x', 'x@y', 'sha256$0000000000000000000000000000000000000000000000000000000000000000', 's', '{}', now(), '00000000-0000-7000-8000-000000001001')",
            ),
            Invalid("status"),
        ),
        (
            "credential reason needs revocation",
            u("update credentials set revocation_reason = 'x'"),
            Invalid("revocation_reason"),
        ),
        (
            "credential hash format",
            u("update credentials set identity_hash = 'md5$x'"),
            Invalid("identity_hash"),
        ),
        (
            "credential email",
            u("update credentials set recipient_email = 'x'"),
            Invalid("recipient_email"),
        ),
        (
            "credential name",
            u("update credentials set recipient_name = ''"),
            Invalid("recipient_name"),
        ),
        (
            "credential json object",
            u("update credentials set credential = '[]'"),
            Invalid("credential"),
        ),
        (
            "credential validity",
            u("update credentials set valid_until = issued_at - interval '1 d'"),
            Invalid("valid_until"),
        ),
        (
            "credential index",
            u("update credentials set status_list_index = -1"),
            Invalid("status_list_index"),
        ),
        (
            "awarded achievement not deletable",
            u("delete from achievements where id = '00000000-0000-7000-8000-000000000e01'"),
            Invalid("achievement_id"),
        ),
        // audit log
        (
            "audit update",
            u("update audit_log set action = 'x.y'"),
            Invalid("audit_log"),
        ),
        (
            "audit delete",
            u("delete from audit_log"),
            Invalid("audit_log"),
        ),
        (
            "audit truncate",
            u("truncate audit_log"),
            Invalid("audit_log"),
        ),
        (
            "audit action",
            u(
                "insert into audit_log (actor_label, action, entity_type) values ('x', 'nodot', 'x')",
            ),
            Invalid("action"),
        ),
        (
            "audit label",
            u("insert into audit_log (actor_label, action, entity_type) values (' ', 'a.b', 'x')"),
            Invalid("actor_label"),
        ),
        (
            "audit entity type",
            u(
                "insert into audit_log (actor_label, action, entity_type) values ('x', 'a.b', 'X Y')",
            ),
            Invalid("entity_type"),
        ),
        // jobs
        (
            "job status",
            u("update jobs set status = 'sleeping'"),
            Invalid("status"),
        ),
        (
            "job kind",
            u("insert into jobs (kind) values ('Bad Kind')"),
            Invalid("kind"),
        ),
        (
            "job progress",
            u("update jobs set progress_total = 1, progress_done = 2"),
            Invalid("progress"),
        ),
        (
            "job lock pair",
            u("update jobs set locked_by = 'w'"),
            Invalid("lock"),
        ),
        (
            "job finished time",
            u("update jobs set status = 'succeeded'"),
            Invalid("finished"),
        ),
        (
            "job attempts",
            u("update jobs set attempts = -1"),
            Invalid("attempts"),
        ),
    ]
}

#[sqlx::test(migrator = "engine::MIGRATOR", fixtures("baseline"))]
async fn every_constraint_maps_to_a_typed_error(pool: PgPool) {
    let mut failures = Vec::new();
    for (name, sql, want) in cases() {
        let got = match // Test-authored constants, no outside input.
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&pool).await {
            Ok(_) => {
                failures.push(format!("{name}: statement succeeded"));
                continue;
            }
            Err(e) => Error::from(e),
        };
        let ok = match (&want, &got) {
            (Conflict(f), Error::Conflict { field }) => field.as_str() == *f,
            (Invalid(f), Error::Invalid { field, .. }) => field.as_str() == *f,
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: wanted {want:?}, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[sqlx::test(migrator = "engine::MIGRATOR", fixtures("baseline"))]
async fn valid_extension_terms_are_accepted(pool: PgPool) {
    sqlx::raw_sql(
        "insert into achievements (issuer_id, name, criteria_url, achievement_type) values \
         ('00000000-0000-7000-8000-000000000d01', 'x', 'https://example.org/c', 'ext:MyType')",
    )
    .execute(&pool)
    .await
    .expect("ext: term accepted");
}

#[sqlx::test(migrator = "engine::MIGRATOR", fixtures("baseline"))]
async fn cascades_behave_as_documented(pool: PgPool) {
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect("count")
        }
    };
    // Hard-deleting a user (SCIM deletes are soft; this is the database-level guarantee):
    // sessions, role grants and memberships go; credentials stay, unlinked; audit rows stay
    // with the actor cleared (the append-only trigger allows exactly that change).
    sqlx::raw_sql("delete from users where id = '00000000-0000-7000-8000-000000000a01'")
        .execute(&pool)
        .await
        .expect("delete alice");
    assert_eq!(count("select count(*) from sessions").await, 0);
    assert_eq!(count("select count(*) from user_roles").await, 0);
    assert_eq!(count("select count(*) from group_members").await, 0);
    assert_eq!(
        count("select count(*) from credentials where recipient_user_id is null").await,
        1
    );
    // bob's audit row: delete bob's app first (restrict), then bob.
    sqlx::raw_sql(
        "delete from oauth_client_apps; delete from users where id = '00000000-0000-7000-8000-000000000a02'",
    )
    .execute(&pool)
    .await
    .expect("delete bob");
    assert_eq!(count("select count(*) from client_roles").await, 0);
    assert_eq!(
        count("select count(*) from audit_log where actor_user_id is null and actor_label = 'bob'")
            .await,
        1
    );
    // Groups: deleting cascades mapping by group id, claim mappings survive.
    sqlx::raw_sql(
        "insert into group_roles (group_id, role_id) values ('00000000-0000-7000-8000-000000000c01', '00000000-0000-7000-8000-000000000b01'); \
         delete from groups",
    )
    .execute(&pool)
    .await
    .expect("delete group");
    assert_eq!(count("select count(*) from group_roles").await, 1);
    // Deleting a role cascades its permissions and mappings.
    sqlx::raw_sql("delete from roles where name = 'custom'")
        .execute(&pool)
        .await
        .expect("delete role");
    assert_eq!(count("select count(*) from group_roles").await, 0);
    // Achievements cascade their alignments, result descriptions and levels.
    sqlx::raw_sql(
        "delete from credentials; delete from achievements where id = '00000000-0000-7000-8000-000000000e01'",
    )
    .execute(&pool)
    .await
    .expect("delete achievement");
    assert_eq!(
        count("select count(*) from achievement_alignments").await,
        0
    );
    assert_eq!(
        count("select count(*) from achievement_result_descriptions").await,
        0
    );
    assert_eq!(
        count("select count(*) from rubric_criterion_levels").await,
        0
    );
    // A parent issuer's deletion leaves children without a parent; keys cascade.
    sqlx::raw_sql(
        "update issuers set parent_id = '00000000-0000-7000-8000-000000000d01' where id = '00000000-0000-7000-8000-000000000d02'; \
         delete from status_lists; delete from issuers where id = '00000000-0000-7000-8000-000000000d01'",
    )
    .execute(&pool)
    .await
    .expect("delete issuer");
    assert_eq!(count("select count(*) from signing_keys").await, 0);
    assert_eq!(
        count("select count(*) from issuers where parent_id is null").await,
        1
    );
}
