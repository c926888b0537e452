//! The Leptos application: every page of Badge Engine (admin and earner), its layout, and the
//! `#[server]` functions those pages call. Compiled twice — with `ssr` into the server, where
//! server functions reach `engine` directly, and with `hydrate` into the browser's WASM bundle.

#![recursion_limit = "256"]

pub mod admin;
pub mod auth;
pub mod components;
pub mod earner;
pub mod error;
mod home;
pub mod language;
mod layout;
mod not_found;
pub mod public;
#[cfg(feature = "hydrate")]
mod upload;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, StaticSegment, path};

// Async SSR for every admin page: the guard's 401/403 status is known before the first byte.

pub use home::HomePage;
pub use not_found::NotFound;

/// The engine handles the server provides to every page and server function.
#[cfg(feature = "ssr")]
pub fn services() -> engine::Services {
    expect_context::<engine::Services>()
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang=language::lang().tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                // In the shell, not in <App>: the name carries the bundle's content hash,
                // which only the server knows.
                <link rel="stylesheet" id="badge-engine" href=format!("/pkg/{}.css", options.output_name) />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The root component: stylesheet, title, router and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    language::provide_lang();
    view! {
        <Title formatter=|title: String| if title.is_empty() { "Badge Engine".to_owned() } else { format!("{title} · Badge Engine") } />
        <Router>
            <layout::Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=StaticSegment("") view=HomePage />
                    // Public pages wait for their data: link previews and search engines read
                    // the meta tags and the status (404 for private credentials) from the HTML.
                    <Route path=path!("/credentials/:id") view=public::PublicCredentialPage ssr=SsrMode::Async />
                    <Route path=path!("/issuers/:id") view=public::PublicIssuer ssr=SsrMode::Async />
                    <Route path=path!("/achievements/:id") view=public::PublicAchievement ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=public::VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/me/badges") view=earner::MyBadges ssr=SsrMode::Async />
                    <Route path=path!("/me/addresses/confirm/:token") view=earner::ConfirmAddressPage ssr=SsrMode::Async />
                    <Route path=path!("/claim/:token") view=earner::ClaimPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=earner::SignInPage ssr=SsrMode::Async />
                    // Async SSR: the guard's 401/403 status is known before the first byte is sent.
                    <Route path=path!("/admin") view=admin::AdminDashboard ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=admin::AdminUsers ssr=SsrMode::Async />
                    <Route path=path!("/admin/roles") view=admin::AdminRoles ssr=SsrMode::Async />
                    <Route path=path!("/admin/scim-tokens") view=admin::AdminScimTokens ssr=SsrMode::Async />
                    <Route path=path!("/admin/client-apps") view=admin::AdminClientApps ssr=SsrMode::Async />
                    <Route path=path!("/admin/wallets") view=admin::AdminWallets ssr=SsrMode::Async />
                    <Route path=path!("/admin/issuers") view=admin::AdminIssuers ssr=SsrMode::Async />
                    <Route path=path!("/admin/issuers/new") view=admin::AdminIssuerNew ssr=SsrMode::Async />
                    <Route path=path!("/admin/issuers/:id") view=admin::AdminIssuer ssr=SsrMode::Async />
                    <Route path=path!("/admin/issuers/:id/achievements") view=admin::AdminAchievements ssr=SsrMode::Async />
                    <Route path=path!("/admin/issuers/:id/achievements/new") view=admin::AdminAchievementNew ssr=SsrMode::Async />
                    <Route path=path!("/admin/achievements/:id") view=admin::AdminAchievement ssr=SsrMode::Async />
                    <Route path=path!("/admin/achievements/:id/edit") view=admin::AdminAchievementEdit ssr=SsrMode::Async />
                    <Route path=path!("/admin/achievements/:id/bulk") view=admin::AdminBulkUpload ssr=SsrMode::Async />
                    <Route path=path!("/admin/bulk-awards/:id") view=admin::AdminBulkAward ssr=SsrMode::Async />
                    <Route path=path!("/admin/awards") view=admin::AdminAwards ssr=SsrMode::Async />
                    <Route path=path!("/admin/credentials/:id") view=admin::AdminCredential ssr=SsrMode::Async />
                    <Route path=path!("/admin/jobs") view=admin::AdminJobs ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=admin::AdminAudit ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view=admin::AdminOutbox ssr=SsrMode::Async />
                    <Route path=path!("/admin/import") view=admin::AdminImport ssr=SsrMode::Async />
                    <Route path=path!("/admin/import/:id") view=admin::AdminImportJob ssr=SsrMode::Async />
                </Routes>
            </layout::Layout>
        </Router>
    }
}
