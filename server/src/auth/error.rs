//! Why a sign-in was refused. Every refusal is logged with its reason code and answered with
//! a clear page; none creates a session.

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use openidconnect::{ClaimsVerificationError, SignatureVerificationError};

use crate::status_page;

/// Marker in the issue-time check's message (openidconnect reports it as `Expired`).
pub const NOT_YET_VALID: &str = "issued in the future";

/// A refused or failed sign-in.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// `OIDC_*` variables are not set.
    #[error("sign-in is not configured")]
    NotConfigured,
    /// Discovery, JWKS or token endpoint unreachable.
    #[error("the identity provider is unreachable: {0}")]
    ProviderUnavailable(String),
    /// The callback arrived without a sign-in in progress in this session.
    #[error("no sign-in in progress for this browser")]
    NoPendingLogin,
    /// `state` missing or different from the one issued.
    #[error("state does not match")]
    StateMismatch,
    /// The sign-in was started too long ago.
    #[error("sign-in took too long")]
    PendingExpired,
    /// The provider redirected back with an error.
    #[error("the provider answered `{0}`")]
    ProviderRefused(String),
    /// No `code` parameter.
    #[error("no authorization code")]
    MissingCode,
    /// The token endpoint refused the code (used twice, wrong verifier, expired …).
    #[error("code exchange refused: {0}")]
    CodeRejected(String),
    /// The token response had no ID token.
    #[error("no ID token in the token response")]
    NoIdToken,
    /// The ID token failed verification.
    #[error("ID token rejected: {0}")]
    InvalidIdToken(#[from] ClaimsVerificationError),
    /// `tid` is not the configured tenant.
    #[error("token from another tenant")]
    WrongTenant,
    /// The account is deactivated or deleted.
    #[error("account is disabled")]
    AccountDisabled,
    /// The claims cannot make an account (e.g. blank username).
    #[error("the account data is not usable: {0}")]
    UnusableClaims(String),
    /// Database, session store or another internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl LoginError {
    /// Short stable reason code for logs, the `x-login-error` header and tests.
    pub fn code(&self) -> &'static str {
        use ClaimsVerificationError as C;
        use SignatureVerificationError as S;
        match self {
            LoginError::NotConfigured => "not_configured",
            LoginError::ProviderUnavailable(_) => "provider_unavailable",
            LoginError::NoPendingLogin => "no_pending_login",
            LoginError::StateMismatch => "state_mismatch",
            LoginError::PendingExpired => "login_expired",
            LoginError::ProviderRefused(_) => "provider_refused",
            LoginError::MissingCode => "missing_code",
            LoginError::CodeRejected(_) => "code_rejected",
            LoginError::NoIdToken => "no_id_token",
            LoginError::InvalidIdToken(e) => match e {
                C::Expired(m) if m.contains(NOT_YET_VALID) => "token_not_yet_valid",
                C::Expired(_) => "token_expired",
                C::InvalidAudience(_) => "wrong_audience",
                C::InvalidIssuer(_) => "wrong_issuer",
                C::InvalidNonce(_) => "wrong_nonce",
                C::SignatureVerification(S::DisallowedAlg(_)) => "disallowed_alg",
                C::SignatureVerification(S::NoSignature) => "unsigned_token",
                C::SignatureVerification(S::NoMatchingKey) => "unknown_key",
                C::SignatureVerification(_) => "bad_signature",
                _ => "invalid_token",
            },
            LoginError::WrongTenant => "wrong_tenant",
            LoginError::AccountDisabled => "account_disabled",
            LoginError::UnusableClaims(_) => "unusable_claims",
            LoginError::Internal(_) => "internal",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            LoginError::NotConfigured => StatusCode::SERVICE_UNAVAILABLE,
            LoginError::ProviderUnavailable(_) => StatusCode::BAD_GATEWAY,
            LoginError::AccountDisabled | LoginError::WrongTenant => StatusCode::FORBIDDEN,
            LoginError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn explanation(&self) -> (&'static str, &'static str) {
        match self {
            LoginError::NotConfigured => (
                "Sign-in is not available",
                "Sign-in has not been configured on this server (OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET). Please contact the administrator.",
            ),
            LoginError::ProviderUnavailable(_) => (
                "Sign-in is briefly unavailable",
                "We could not reach the identity provider. Please try again in a minute.",
            ),
            LoginError::AccountDisabled => (
                "Your account is disabled",
                "This account has been deactivated or removed, so it cannot sign in. Contact your administrator if this is a mistake.",
            ),
            LoginError::WrongTenant => (
                "This organisation is not allowed",
                "Your account belongs to an organisation that may not sign in here.",
            ),
            LoginError::Internal(_) => (
                "Sign-in failed",
                "Something went wrong on our side. It has been logged; please try again.",
            ),
            _ => (
                "Sign-in could not be completed",
                "The sign-in response was not valid for this browser session (it may have expired, been used already, or been tampered with). Please start again.",
            ),
        }
    }
}

impl IntoResponse for LoginError {
    fn into_response(self) -> Response {
        let (title, message) = self.explanation();
        let code = self.code();
        (
            self.status(),
            [("x-login-error", code)],
            status_page::render(title, &format!("{message} (Reference: {code}.)")),
        )
            .into_response()
    }
}
