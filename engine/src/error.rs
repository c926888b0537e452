//! The one error type every engine function returns, and the translation of database
//! errors into it, so callers never see (or show) a raw database message.

use crate::rbac::Permission;

/// Engine result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in terms a page, a SCIM response or a REST problem document can use.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record does not exist (or is soft-deleted).
    #[error("{entity} not found")]
    NotFound {
        /// Kind of record, e.g. `user`.
        entity: &'static str,
    },
    /// A unique value is already taken, or the record is in a state that forbids the change.
    #[error("{field} is already in use")]
    Conflict {
        /// Field whose value collides, e.g. `username`.
        field: String,
    },
    /// Input breaks a rule; `field` names the offending input.
    #[error("{field} is invalid: {reason}")]
    Invalid {
        /// Offending field.
        field: String,
        /// Human-readable reason.
        reason: String,
    },
    /// The principal lacks a permission.
    #[error("missing permission: {permission}")]
    Forbidden {
        /// The permission that was required.
        permission: Permission,
    },
    /// The account is deactivated or deleted and may not sign in.
    #[error("account is disabled")]
    AccountDisabled,
    /// An OB 3.0 API token lacks the scope the call needs (RFC 6750 `insufficient_scope`).
    #[error("the access token does not grant {scope}")]
    InsufficientScope {
        /// The scope URI that was needed.
        scope: &'static str,
    },
    /// No valid credentials were presented (an API access token missing, expired or forged).
    #[error("not authenticated: {reason}")]
    Unauthenticated {
        /// What is wrong with what was presented, safe to show.
        reason: &'static str,
    },
    /// Optimistic concurrency lost: someone else changed the record since it was read.
    #[error("the record was changed by someone else; reload and try again")]
    Stale,
    /// A backing service cannot be reached.
    #[error("{service} is unavailable")]
    Unavailable {
        /// `database`, `redis`, `signer` …
        service: &'static str,
    },
    /// A bug or an unexpected failure; details go to logs, never to users.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(field: impl Into<String>) -> Self {
        Error::Conflict {
            field: field.into(),
        }
    }

    /// Wraps any error as [`Error::Internal`].
    pub fn internal(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Error::Internal(e.into())
    }
}

/// Field name and reason for constraints whose name alone is not self-explanatory.
/// Every other constraint falls back to its name minus the table prefix and suffix.
fn describe_constraint(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "users_username_key" => ("username", "is already in use"),
        "users_email_key" => ("email", "is already in use"),
        "users_external_id_key" => ("external_id", "is already in use"),
        "users_identity_key" => ("subject", "is already linked to another user"),
        "users_identity_pair" => ("subject", "identity provider and subject go together"),
        "users_email_format" => ("email", "is not an e-mail address"),
        "users_username_not_blank" => ("username", "must not be blank"),
        "users_manager_id_fkey" => ("manager_id", "refers to an unknown user"),
        "users_not_own_manager" => ("manager_id", "a user cannot be their own manager"),
        "users_deleted_inactive" => ("deleted_at", "a deleted user must be inactive"),
        "roles_name_key" => ("name", "is already in use"),
        "roles_name_format" => ("name", "may contain letters, digits, '_', '.', '-'"),
        "role_permissions_permission_fkey" => ("permissions", "unknown permission"),
        "user_roles_role_id_fkey" => ("role_id", "refers to an unknown role"),
        "user_roles_user_id_fkey" => ("user_id", "refers to an unknown user"),
        "groups_display_name_key" => ("display_name", "is already in use"),
        "groups_external_id_key" => ("external_id", "is already in use"),
        "group_members_user_id_fkey" => ("members", "refers to an unknown user"),
        "group_members_group_id_fkey" => ("group_id", "refers to an unknown group"),
        "group_roles_group_role_key" | "group_roles_claim_role_key" => {
            ("role_id", "is already mapped")
        }
        "group_roles_group_id_fkey" => ("group_id", "refers to an unknown group"),
        "group_roles_role_id_fkey" => ("role_id", "refers to an unknown role"),
        "group_roles_source_present" => ("group_id", "give exactly one of group or claim value"),
        "group_roles_claim_kind_present" => ("claim_kind", "a claim value needs its kind"),
        "group_roles_claim_kind_known" => ("claim_kind", "must be group or app_role"),
        "sessions_user_id_fkey" => ("user_id", "refers to an unknown user"),
        "sessions_key_hash_key" => ("session_key", "is already in use"),
        "sessions_expiry_after_creation" => ("expires_at", "must be after creation"),
        "scim_tokens_token_hash_key" => ("token", "is already in use"),
        "oauth_client_apps_owner_id_fkey" => ("owner_id", "the owner still has client apps"),
        "client_roles_client_name_key" => ("name", "is already in use"),
        "issuers_did_key" => ("did", "is already in use"),
        "issuers_parent_id_fkey" => ("parent_id", "refers to an unknown issuer"),
        "issuers_not_own_parent" => ("parent_id", "an issuer cannot be its own parent"),
        "issuers_url_format" => ("url", "must be an http(s) URL"),
        "issuers_email_format" => ("email", "is not an e-mail address"),
        "signing_keys_one_active_per_issuer" => ("signing_key", "issuer already has an active key"),
        "achievements_issuer_id_fkey" => (
            "issuer_id",
            "unknown issuer, or the issuer still has achievements",
        ),
        "achievements_type_known" => (
            "achievement_type",
            "not an Open Badges 3.0 achievement type or ext: term",
        ),
        "achievements_criteria_present" => ("criteria", "give a narrative or a URL"),
        "achievements_single_validity" => ("valid_for", "give a duration or an end date, not both"),
        "achievements_criteria_url_format" => ("criteria_url", "must be an http(s) URL"),
        "achievement_alignments_target_type_known" => (
            "target_type",
            "not an Open Badges 3.0 alignment type or ext: term",
        ),
        "achievement_result_descriptions_type_known" => (
            "result_type",
            "not an Open Badges 3.0 result type or ext: term",
        ),
        "achievement_result_descriptions_required_level_fkey" => (
            "required_level",
            "must be one of the description's own levels",
        ),
        "credentials_achievement_fkey" => (
            "achievement_id",
            "unknown achievement for this issuer, or the achievement has awards",
        ),
        "credentials_issuer_fkey" => ("issuer_id", "unknown issuer, or the issuer has awards"),
        "credentials_status_list_entry_key" => ("status_list_index", "is already allocated"),
        "credentials_recipient_email_format" => ("recipient_email", "is not an e-mail address"),
        "credentials_recipient_name_not_blank" => ("recipient_name", "must not be blank"),
        "credentials_reason_needs_revocation" => (
            "revocation_reason",
            "only a revoked credential has a reason",
        ),
        "status_lists_issuer_id_fkey" => (
            "issuer_id",
            "unknown issuer, or the issuer has status lists",
        ),
        "audit_log_append_only" => ("audit_log", "is append-only"),
        _ => return None,
    })
}

/// `users_display_name_not_blank` → `display_name`: strips the table prefix and the suffix.
fn field_from_constraint(name: &str, table: Option<&str>) -> String {
    let mut s = name;
    if let Some(t) = table {
        s = s
            .strip_prefix(t)
            .and_then(|r| r.strip_prefix('_'))
            .unwrap_or(s);
    }
    for suffix in [
        "_fkey",
        "_key",
        "_check",
        "_not_blank",
        "_format",
        "_positive",
        "_non_negative",
        "_not_empty",
        "_array",
        "_object",
        "_known",
        "_length",
        "_valid",
        "_in_range",
        "_matches_size",
        "_after_creation",
        "_after_issue",
        "_present",
        "_pair",
        "_has_time",
    ] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            return stripped.to_owned();
        }
    }
    s.to_owned()
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Error::NotFound { entity: "record" },
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::warn!(error = %e, "database unavailable");
                Error::Unavailable {
                    service: "database",
                }
            }
            sqlx::Error::Database(db) => {
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                let constraint = db.constraint().unwrap_or_default().to_owned();
                let table = db.table().map(str::to_owned);
                let described = describe_constraint(&constraint);
                let field = described
                    .map(|(f, _)| f.to_owned())
                    .unwrap_or_else(|| field_from_constraint(&constraint, table.as_deref()));
                match code.as_str() {
                    // unique_violation
                    "23505" => Error::Conflict { field },
                    // foreign_key_violation
                    "23503" => Error::Invalid {
                        field,
                        reason: described.map(|(_, r)| r.to_owned()).unwrap_or_else(|| {
                            "refers to a missing record, or is still referenced".into()
                        }),
                    },
                    // check_violation, restrict_violation (audit log trigger), exclusion
                    "23514" | "23001" | "23P01" => Error::Invalid {
                        field,
                        reason: described
                            .map(|(_, r)| r.to_owned())
                            .unwrap_or_else(|| "breaks a rule".into()),
                    },
                    // not_null_violation: PostgreSQL names the column.
                    "23502" => Error::Invalid {
                        field: db
                            .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                            .and_then(|p| p.column())
                            .unwrap_or("input")
                            .to_owned(),
                        reason: "is required".into(),
                    },
                    // string too long, bad number / date / text representation, out of range
                    "22001" | "22003" | "22007" | "22008" | "22P02" | "22023" => Error::Invalid {
                        field: "input".into(),
                        reason: "has a value of the wrong form or size".into(),
                    },
                    // serialization failure, deadlock: someone else won; the caller may retry.
                    "40001" | "40P01" => Error::Stale,
                    // cannot connect now, admin shutdown, too many connections
                    c if c.starts_with("08") || c == "57P01" || c == "53300" => {
                        Error::Unavailable {
                            service: "database",
                        }
                    }
                    _ => {
                        tracing::error!(error = %e, "unexpected database error");
                        Error::Internal(Box::new(e))
                    }
                }
            }
            _ => {
                tracing::error!(error = %e, "unexpected database error");
                Error::Internal(Box::new(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_fall_back_to_the_constraint_name() {
        assert_eq!(
            field_from_constraint("users_display_name_not_blank", Some("users")),
            "display_name"
        );
        assert_eq!(
            field_from_constraint("jobs_kind_format", Some("jobs")),
            "kind"
        );
    }

    #[test]
    fn internal_errors_do_not_leak_details() {
        let e = Error::internal("password=secret in connection string");
        assert_eq!(e.to_string(), "internal error");
    }
}
