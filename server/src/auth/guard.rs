//! Permission guards for axum handlers (server functions use [`app::auth::require`]). Both
//! read the [`Viewer`] that [`super::current::resolve_viewer`] resolved, and both end in
//! `engine::rbac::Principal::require`, the only source of `Authorized<P>` capabilities.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use engine::rbac::{Authorized, PermissionMarker};
use http::StatusCode;
use http::request::Parts;

use app::auth::Viewer;

use crate::status_page;

/// Refusal of a guard: 401 without a session, 403 without the permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not signed in.
    Unauthenticated,
    /// Signed in, permission missing.
    Forbidden,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                status_page::render("Please sign in", "This page is for signed-in staff."),
            )
                .into_response(),
            Refusal::Forbidden => (
                StatusCode::FORBIDDEN,
                status_page::render(
                    "You do not have access to this page",
                    "Your account is signed in, but none of your groups grants this permission.",
                ),
            )
                .into_response(),
        }
    }
}

/// The signed-in user; refuses visitors with 401.
#[derive(Debug, Clone)]
pub struct SignedInUser(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for SignedInUser {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .map(SignedInUser)
            .ok_or(Refusal::Unauthenticated)
    }
}

/// Extractor holding the capability for permission `P`: a handler taking `Require<can::X>`
/// cannot run without the check.
#[derive(Debug, Clone)]
pub struct Require<P: PermissionMarker> {
    /// Who asked.
    pub viewer: Viewer,
    /// The capability engine functions demand.
    pub capability: Authorized<P>,
    _p: PhantomData<P>,
}

/// The one guard function for handlers: the viewer's capability for `P`, or a refusal.
pub fn require<P: PermissionMarker>(viewer: Option<&Viewer>) -> Result<Require<P>, Refusal> {
    let viewer = viewer.ok_or(Refusal::Unauthenticated)?;
    match viewer.principal.require::<P>() {
        Ok(capability) => Ok(Require {
            viewer: viewer.clone(),
            capability,
            _p: PhantomData,
        }),
        Err(_) => {
            tracing::warn!(user = %viewer.principal.label(), permission = %P::PERMISSION, "permission refused");
            Err(Refusal::Forbidden)
        }
    }
}

impl<S: Send + Sync, P: PermissionMarker + Send + Sync> FromRequestParts<S> for Require<P> {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        require::<P>(parts.extensions.get::<Viewer>())
    }
}
