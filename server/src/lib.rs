//! The `badge-engine` server: the axum router that serves the Leptos app (pages and server
//! functions), static assets, health probes and, as they land, OIDC login, SCIM and the REST API;
//! plus start-up (configuration, connections, migrations) and the command-line interface.
//!
//! [`app`] builds the whole router from an [`AppState`], so integration tests drive the real
//! application in-process; `main.rs` only parses the command line.

pub mod admin;
pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod error;
pub mod health;
pub mod oauth;
pub mod ob3;
pub mod public;
pub mod rate_limit;
pub mod scim;
pub mod security;
pub mod server_fns;
pub mod session;
pub mod startup;
pub mod state;
pub mod status_page;
pub mod telemetry;
pub mod worker;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

pub use state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Largest request body of pages and server functions (uploads have their own limits).
pub const PAGE_BODY_LIMIT: usize = 2 << 20;

/// Builds the complete HTTP application.
pub fn app(state: AppState) -> Router {
    let leptos_options = state.leptos.clone();
    let routes = generate_route_list(app::App);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.db.clone());
            provide_context(state.cache.clone());
            provide_context(state.services.clone());
            provide_context(state.fetcher.clone());
            provide_context(app::admin::ImportUploadLimit(
                state.config.import_upload_limit_bytes,
            ));
            // The nonce the security-header middleware put into this request's CSP.
            if let Some(nonce) = leptos::prelude::use_context::<http::request::Parts>()
                .and_then(|p| p.extensions.get::<security::CspNonce>().cloned())
            {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0));
            }
        }
    };

    let leptos_pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            PAGE_BODY_LIMIT,
        ));

    // Everything rendered by Leptos reads the session, so it sits behind the session layer and the
    // store guard; probes and static assets do not, so they keep working while Redis is away.
    let pages = Router::new()
        .merge(auth::routes())
        .merge(admin::routes(state.config.import_upload_limit_bytes))
        .merge(public::form_routes())
        .merge(oauth::consent_routes())
        .merge(leptos_pages)
        // Innermost first: documents for machines and the server-function guard (both need the
        // viewer), origin check, then who is signed in (needs the session), then the store
        // guard and the session layer itself.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            public::json_ld::negotiate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            server_fns::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf::check_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::current::resolve_viewer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::require_store,
        ))
        .layer(state.sessions.layer(
            state.config.cookie_secure,
            state.config.session_idle_minutes,
        ));

    let pkg_dir = format!(
        "{}/{}",
        leptos_options.site_root, leptos_options.site_pkg_dir
    );
    Router::new()
        .route("/healthz", get(health::live))
        // SCIM authenticates each request with a bearer token: no session layer, no store guard.
        .nest("/scim/v2", scim::router(state.clone()))
        // The REST API authenticates each request with a bearer token, like SCIM.
        .merge(api::routes(state.clone()))
        .merge(oauth::routes())
        .merge(ob3::routes())
        .route("/readyz", get(health::ready))
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(public::assets::cache_control))
                .service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip()),
        )
        .merge(public::routes())
        .merge(pages)
        .with_state(state.clone())
        // In front of the router: a cached page costs no routing, session or guard work (the
        // security headers still apply).
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            public::page_cache::serve,
        ))
        .layer(axum::middleware::from_fn(public::language::negotiate))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(axum::middleware::from_fn_with_state(state, auth::resolve_client_ip))
        .layer(compression())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
}

/// Brotli or gzip for text (HTML, JSON, CSS, JS, SVG, CSV), not for images that are compressed
/// already, and not for bodies too small to gain.
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::Predicate as _;
    use tower_http::compression::predicate::{NotForContentType, SizeAbove};
    let predicate = SizeAbove::new(860)
        .and(NotForContentType::IMAGES)
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::GRPC);
    tower_http::compression::CompressionLayer::new()
        .br(true)
        .gzip(true)
        .compress_when(predicate)
}
