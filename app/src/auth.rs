//! Who is signed in, and the one guard every server function uses to check a permission.
//!
//! The server's auth middleware resolves the session on every request (is the `sessions` row
//! still active? is the user still active? which roles do the group mappings give?) and puts a
//! [`Viewer`] in the request extensions. Server functions then call [`require`], the only way
//! to obtain an `engine::rbac::Authorized<P>` capability here; engine functions demand that
//! capability, so a server function that forgets the check does not compile.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::language::t;
use serde::{Deserialize, Serialize};

pub use crate::error::AppError;

/// What the UI may know about the signed-in user (only to hide what they may not do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerInfo {
    /// Login name.
    pub username: String,
    /// Name to greet them with.
    pub display_name: String,
    /// Effective role names.
    pub roles: Vec<String>,
    /// Permission names held somewhere — globally or on some issuer (`manage_users`, …).
    pub permissions: Vec<String>,
    /// Permission names held on every issuer.
    pub global: Vec<String>,
}

impl ViewerInfo {
    /// Whether the permission named `name` is held (on some issuer at least).
    pub fn has(&self, name: &str) -> bool {
        self.permissions.iter().any(|p| p == name)
    }

    /// Whether the permission named `name` is held on every issuer.
    pub fn has_global(&self, name: &str) -> bool {
        self.global.iter().any(|p| p == name)
    }
}

/// The signed-in user, or `None` for visitors.
#[server(endpoint = "current_viewer")]
pub async fn current_viewer() -> Result<Option<ViewerInfo>, AppError> {
    Ok(server::viewer().map(|v| ViewerInfo {
        username: v.principal.label().to_owned(),
        display_name: v.display_name.clone(),
        roles: v.principal.roles().iter().cloned().collect(),
        permissions: engine::rbac::Permission::ALL
            .into_iter()
            .filter(|p| v.principal.has(*p))
            .map(|p| p.as_str().to_owned())
            .collect(),
        global: v
            .principal
            .permissions()
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
    }))
}

#[cfg(feature = "ssr")]
pub use server::{Viewer, require, viewer};

/// Server-only half: the request's viewer and the permission guard.
#[cfg(feature = "ssr")]
pub mod server {
    use engine::rbac::{Authorized, PermissionMarker, Principal};
    use sqlx::types::Uuid;

    use super::AppError;

    /// The signed-in user of this request, resolved by the server's auth middleware.
    #[derive(Debug, Clone)]
    pub struct Viewer {
        /// User id.
        pub user_id: Uuid,
        /// Id of the `sessions` row of this sign-in.
        pub session_id: Uuid,
        /// Effective roles and permissions, loaded for this request.
        pub principal: Principal,
        /// Display name (or username).
        pub display_name: String,
    }

    /// The signed-in user of the current request, if any.
    pub fn viewer() -> Option<Viewer> {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
    }

    /// The guard: the viewer plus the capability for permission `P`, or 401 / 403 (also set
    /// as the HTTP status of the response).
    pub fn require<P: PermissionMarker>() -> Result<(Viewer, Authorized<P>), AppError> {
        let Some(viewer) = viewer() else {
            set_status(http::StatusCode::UNAUTHORIZED);
            return Err(AppError::Unauthenticated);
        };
        match viewer.principal.require::<P>() {
            Ok(capability) => Ok((viewer, capability)),
            Err(_) => {
                tracing::warn!(
                    user = %viewer.principal.label(),
                    permission = %P::PERMISSION,
                    "permission refused"
                );
                set_status(http::StatusCode::FORBIDDEN);
                Err(AppError::Forbidden)
            }
        }
    }

    /// Turns an engine error into the typed error (and status) of a server function,
    /// through the one table in [`crate::error::from_engine`].
    pub fn engine_error(error: engine::Error) -> AppError {
        let app = crate::error::from_engine(error);
        if let Ok(status) = http::StatusCode::from_u16(app.status()) {
            set_status(status);
        }
        app
    }

    /// Sets the HTTP status of the current response (page or server function).
    pub fn set_status(status: http::StatusCode) {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
}

/// Explains an [`AppError`] on a page: sign-in prompt, 403 page, or the message.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthenticated => {
            // Back to this very page after signing in, whichever way the visitor chooses.
            let location = leptos_router::hooks::use_location();
            let here = crate::public::credential::encode(&format!(
                "{}{}",
                location.pathname.get_untracked(),
                Some(location.search.get_untracked())
                    .filter(|q| !q.is_empty())
                    .map(|q| format!("?{q}"))
                    .unwrap_or_default()
            ));
            view! {
            <Title text=t("notice-sign-in-title") />
            <section class="status-page" data-testid="sign-in-required">
                <p class="eyebrow">"401"</p>
                <h1>{t("notice-sign-in-heading")}</h1>
                <p>{t("notice-sign-in-text")}</p>
                <p><a class="button" href=format!("/auth/login?next={here}") rel="external">{t("sign-in-with-organisation")}</a></p>
                <p><a href=format!("/sign-in?next={here}")>{t("notice-sign-in-by-email")}</a></p>
            </section>
            }
            .into_any()
        }
        AppError::Forbidden => view! {
            <Title text=t("notice-forbidden-title") />
            <section class="status-page" data-testid="forbidden">
                <p class="eyebrow">"403"</p>
                <h1>{t("notice-forbidden-heading")}</h1>
                <p>{t("notice-forbidden-text")}</p>
                <p><a class="button" href="/">{t("nf-home")}</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <p class="notice error" role="alert">{other.to_string()}</p>
        }
        .into_any(),
    }
}
