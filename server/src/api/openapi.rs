//! The OpenAPI 3.1 document (`/api/openapi.json`), generated from the handlers, and the
//! Swagger UI page that browses it (`/api/docs`), whose files are compiled into the binary.

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa_swagger_ui::SwaggerUi;

use crate::state::AppState;

/// The document's fixed parts; paths come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Badge Engine API",
        description = "Issue Open Badges 3.0 credentials from other systems. Get an access token \
            from `POST /oauth/token` (OAuth 2.0 client credentials, with the client id and secret \
            of a client app registered under Admin → Client apps), then call these endpoints with \
            `Authorization: Bearer <token>`. What an app may do is the union of its client roles. \
            Errors are RFC 9457 problem documents; `field` names the input at fault. POSTs accept \
            an `Idempotency-Key` header: a retry with the same key and body gets the first answer \
            and never awards twice.",
        version = "1.0.0",
        license(name = "Apache-2.0")
    ),
    modifiers(&Security),
    tags(
        (name = "issuers", description = "Organisations that issue badges"),
        (name = "achievements", description = "What can be awarded"),
        (name = "awards", description = "Awarding, revoking and suspending credentials"),
        (name = "credentials", description = "Signed credentials and baked badge images"),
        (name = "jobs", description = "Progress of background work (bulk awards)"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from POST /oauth/token"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::new([Flow::ClientCredentials(
                ClientCredentials::new("/oauth/token", Scopes::new()),
            )])),
        );
    }
}

/// Swagger UI styles itself inline; its page gets a policy that allows that and nothing else.
async fn docs_policy(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        http::header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
             form-action 'self'; frame-ancestors 'none'",
        ),
    );
    response
}

/// `/api/openapi.json` and `/api/docs`.
pub fn routes(document: utoipa::openapi::OpenApi) -> Router<AppState> {
    let ui: Router<AppState> = SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", document)
        .into();
    ui.layer(axum::middleware::from_fn(docs_policy))
}
