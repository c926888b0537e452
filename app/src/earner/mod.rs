//! Pages for earners: their badges (`/me/badges`), claim links (`/claim/{token}`), signing
//! in by e-mail link (`/sign-in`), and confirming a further address.

pub mod claim;
pub mod my_badges;
pub mod sign_in;

pub use claim::ClaimPage;
pub use my_badges::{ConfirmAddressPage, MyBadges};
pub use sign_in::SignInPage;

/// The signed-in user's own account (any signed-in user is an earner), or 401.
#[cfg(feature = "ssr")]
pub async fn me() -> Result<engine::user::User, crate::error::AppError> {
    let Some(viewer) = crate::auth::viewer() else {
        crate::auth::server::set_status(http::StatusCode::UNAUTHORIZED);
        return Err(crate::error::AppError::Unauthenticated);
    };
    let s = crate::services();
    engine::user::me(&s.pool, viewer.user_id)
        .await
        .map_err(crate::auth::server::engine_error)
}
