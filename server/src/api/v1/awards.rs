//! `/api/v1/awards`: award one (signed and stored at once), award many (a job), get, list
//! with filters, revoke, suspend, un-suspend.

use axum::Json;
use axum::extract::{Extension, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use engine::award::{
    Credential, HistoryQuery, NewAward, Outcome, State as AwardState, StateFilter,
};
use engine::rbac::can;
use engine::signer::{AwardDetails, AwardResult, EvidenceInput};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::body::{ApiJson, ApiPath, ApiQuery};
use crate::api::caller::Caller;
use crate::api::idempotency::Key;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// An award request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AwardRequest {
    /// The achievement to award (it must be active).
    pub achievement_id: Uuid,
    /// Recipient's name, as the credential will show it.
    pub recipient_name: String,
    /// Recipient's e-mail (the credential carries only its salted hash).
    pub recipient_email: String,
    /// Custom expiry; otherwise the achievement's default validity.
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
    /// Results against the achievement's result descriptions.
    #[serde(default)]
    pub results: Vec<AwardResult>,
    /// Evidence.
    #[serde(default)]
    pub evidence: Vec<EvidenceInput>,
    /// When the activity started.
    #[serde(default)]
    pub activity_start: Option<DateTime<Utc>>,
    /// When it ended.
    #[serde(default)]
    pub activity_end: Option<DateTime<Utc>>,
    /// Send the earner the award e-mail with a claim link (default true).
    #[serde(default)]
    pub notify: Option<bool>,
}

/// An awarded credential.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Award {
    /// Id (also of the credential).
    pub id: Uuid,
    /// Achievement.
    pub achievement_id: Uuid,
    /// Issuer.
    pub issuer_id: Uuid,
    /// Recipient's name.
    pub recipient_name: String,
    /// Recipient's e-mail.
    pub recipient_email: String,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// Accepted by the earner.
    pub claimed_at: Option<DateTime<Utc>>,
    /// Revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revocation_reason: Option<String>,
    /// Suspended.
    pub suspended_at: Option<DateTime<Utc>>,
    /// Where it stands now.
    pub state: AwardState,
    /// The public credential page (its JSON-LD with `Accept: application/ld+json`).
    pub credential_url: String,
    /// The signed credential through the API.
    pub signed_url: String,
    /// The baked PNG through the API.
    pub png_url: String,
    /// The baked SVG through the API.
    pub svg_url: String,
    /// `false` when an earlier request with the same Idempotency-Key issued it.
    pub new: bool,
}

impl Award {
    fn of(state: &AppState, c: &Credential, new: bool) -> Award {
        let base = state.config.public_base_url.as_str().trim_end_matches('/');
        Award {
            id: c.id,
            achievement_id: c.achievement_id,
            issuer_id: c.issuer_id,
            recipient_name: c.recipient_name.clone(),
            recipient_email: c.recipient_email.clone(),
            issued_at: c.issued_at,
            valid_until: c.valid_until,
            claimed_at: c.claimed_at,
            revoked_at: c.revoked_at,
            revocation_reason: c.revocation_reason.clone(),
            suspended_at: c.suspended_at,
            state: c.state(Utc::now()),
            credential_url: state.services.urls().credential(c.id),
            signed_url: format!("{base}/api/v1/credentials/{}", c.id),
            png_url: format!("{base}/api/v1/credentials/{}/image.png", c.id),
            svg_url: format!("{base}/api/v1/credentials/{}/image.svg", c.id),
            new,
        }
    }
}

/// Awards one credential: signed with the issuer's key and stored with its status entries
/// and audit row (needs `award` on the achievement's issuer).
#[utoipa::path(post, path = "/awards", tag = "awards",
    request_body = AwardRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key never awards twice")),
    responses(
        (status = 201, description = "Awarded; `Location` names it", body = Award),
        (status = 400, description = "Unreadable JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `award` there", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such achievement", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key in use", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong; `field` names it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    key: Option<Extension<Key>>,
    ApiJson(body): ApiJson<AwardRequest>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::Award>()?;
    let new = NewAward {
        achievement_id: body.achievement_id,
        recipient_name: body.recipient_name,
        recipient_email: body.recipient_email,
        recipient_user_id: None,
        issued_at: None,
        valid_until: body.valid_until,
        details: AwardDetails {
            results: body.results,
            evidence: body.evidence,
            activity_start: body.activity_start,
            activity_end: body.activity_end,
        },
        idempotency_key: key.map(|Extension(Key(k))| format!("api:{}:{k}", caller.app_id)),
        notify: body.notify.unwrap_or(true),
    };
    let (outcome, cred) =
        engine::award::issue(&state.db, &can, state.services.issuance(), &new).await?;
    let fresh = matches!(outcome, Outcome::Issued(_));
    let status = if fresh {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        [(
            http::header::LOCATION,
            format!("/api/v1/awards/{}", cred.id),
        )],
        Json(Award::of(&state, &cred, fresh)),
    )
        .into_response())
}

/// Many awards of one achievement.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BulkRequest {
    /// The achievement.
    pub achievement_id: Uuid,
    /// The awards (at most 100,000), as the bulk CSV's columns.
    pub awards: Vec<engine::award::bulk::BulkRow>,
}

/// A started bulk award.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulkStarted {
    /// The bulk award.
    pub bulk_award: engine::award::bulk::BulkAward,
    /// Its job: poll `/api/v1/jobs/{job_id}` for progress.
    pub job_id: Option<Uuid>,
    /// Awards that were issued before from the same data (they are skipped).
    pub already_awarded: usize,
}

/// Refused rows of a bulk request.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulkRefused {
    /// `about:blank`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `Unprocessable Entity`.
    pub title: String,
    /// 422.
    pub status: u16,
    /// Summary.
    pub detail: String,
    /// Problems; `row` counts from 2 as in the CSV file (awards[0] is row 2). Absent when the
    /// request as a whole is refused (then `field` names what is wrong).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<engine::award::bulk::RowError>>,
    /// Problems in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_count: Option<usize>,
    /// The input at fault, when it is not a row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Awards many credentials of one achievement in the background: every row is checked first;
/// with any problem nothing is started and every problem is listed (needs `award`).
#[utoipa::path(post, path = "/awards/bulk", tag = "awards",
    request_body = BulkRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key starts nothing new")),
    responses(
        (status = 202, description = "Checked and started", body = BulkStarted),
        (status = 400, description = "Unreadable JSON", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key in use", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `award` there", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such achievement", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rows with problems; nothing started", body = BulkRefused, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn create_bulk(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<BulkRequest>,
) -> Result<Response, ApiError> {
    let can = caller.require::<can::Award>()?;
    let checked = engine::award::bulk::check_rows(
        &state.db,
        &can,
        body.achievement_id,
        "api.json",
        &body.awards,
    )
    .await?;
    let bulk = match checked.bulk_award {
        Some(bulk) if checked.error_count == 0 => bulk,
        _ => {
            let refused = BulkRefused {
                kind: "about:blank".into(),
                title: "Unprocessable Entity".into(),
                status: 422,
                detail: format!(
                    "{} problem(s) in the awards; nothing was started",
                    checked.error_count
                ),
                errors: Some(checked.errors),
                error_count: Some(checked.error_count),
                field: None,
            };
            let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(refused)).into_response();
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/problem+json"),
            );
            return Ok(response);
        }
    };
    let started = engine::award::bulk::confirm(&state.db, &can, bulk.id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(BulkStarted {
            job_id: started.job_id,
            bulk_award: started,
            already_awarded: checked.already_awarded,
        }),
    )
        .into_response())
}

/// One award (needs `view_admin` on its issuer).
#[utoipa::path(get, path = "/awards/{id}", tag = "awards",
    params(("id" = Uuid, Path, description = "Award (credential) id")),
    responses(
        (status = 200, description = "The award", body = Award),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not within the app's issuers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such award", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Award>, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    let cred = engine::award::get(&state.db, &can, id).await?;
    Ok(Json(Award::of(&state, &cred, false)))
}

/// Filters of the award list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AwardFilter {
    /// Only this achievement's.
    pub achievement_id: Option<Uuid>,
    /// Only this issuer's.
    pub issuer_id: Option<Uuid>,
    /// `unclaimed`, `claimed`, `suspended`, `revoked`, `expired` (default: all).
    #[param(inline)]
    pub state: Option<StateFilter>,
    /// Part of the recipient's name or e-mail (3 characters at least).
    pub q: Option<String>,
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return, 1 to 500 (default 50).
    pub limit: Option<i64>,
}

/// A page of awards.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AwardList {
    /// Newest first.
    pub items: Vec<engine::award::history::CredentialSummary>,
    /// Whether more follow (raise `offset`).
    pub has_more: bool,
}

/// Lists awards, newest first (needs `view_admin`).
#[utoipa::path(get, path = "/awards", tag = "awards",
    params(AwardFilter),
    responses(
        (status = 200, description = "A page of awards", body = AwardList),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `view_admin`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A filter is wrong", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<AwardFilter>,
) -> Result<Json<AwardList>, ApiError> {
    let can = caller.require::<can::ViewAdmin>()?;
    let q = HistoryQuery {
        text: filter.q,
        issuer_id: filter.issuer_id,
        achievement_id: filter.achievement_id,
        state: filter.state.unwrap_or_default(),
        page: engine::page::PageRequest {
            offset: filter.offset.unwrap_or(0).max(0),
            limit: filter.limit.unwrap_or(50).clamp(1, 500),
        },
    };
    let page = engine::award::search_history(&state.db, &can, &q).await?;
    Ok(Json(AwardList {
        items: page.items,
        has_more: page.has_more,
    }))
}

/// Why a credential is revoked or suspended.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    /// The reason (required to revoke; optional to suspend).
    #[serde(default)]
    pub reason: String,
}

/// Revokes a credential for good (needs `revoke`); its status-list bit is set at once.
#[utoipa::path(post, path = "/awards/{id}/revoke", tag = "awards",
    params(("id" = Uuid, Path, description = "Award id")),
    request_body = Reason,
    responses(
        (status = 200, description = "Revoked", body = Award),
        (status = 400, description = "Unreadable JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `revoke` there", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such award", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or already revoked", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<Reason>,
) -> Result<Json<Award>, ApiError> {
    let can = caller.require::<can::Revoke>()?;
    let c = engine::award::revoke(&state.db, &state.cache, &can, id, &body.reason).await?;
    Ok(Json(Award::of(&state, &c, false)))
}

/// Suspends a credential (reversible; needs `revoke`).
#[utoipa::path(post, path = "/awards/{id}/suspend", tag = "awards",
    params(("id" = Uuid, Path, description = "Award id")),
    request_body = Reason,
    responses(
        (status = 200, description = "Suspended", body = Award),
        (status = 400, description = "Unreadable JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `revoke` there", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such award", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Revoked or already suspended", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn suspend(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<Reason>,
) -> Result<Json<Award>, ApiError> {
    let can = caller.require::<can::Revoke>()?;
    let c = engine::award::suspend(&state.db, &state.cache, &can, id, &body.reason).await?;
    Ok(Json(Award::of(&state, &c, false)))
}

/// Lifts a suspension (needs `revoke`).
#[utoipa::path(post, path = "/awards/{id}/unsuspend", tag = "awards",
    params(("id" = Uuid, Path, description = "Award id")),
    responses(
        (status = 200, description = "No longer suspended", body = Award),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The app's roles lack `revoke` there", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such award", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not suspended", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])))]
pub async fn unsuspend(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Award>, ApiError> {
    let can = caller.require::<can::Revoke>()?;
    let c = engine::award::unsuspend(&state.db, &state.cache, &can, id).await?;
    Ok(Json(Award::of(&state, &c, false)))
}
