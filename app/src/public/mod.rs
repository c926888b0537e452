//! Public pages anyone can open: a credential (the page earners share), an issuer's profile,
//! an achievement, and the verify page. Their machine-readable twins (JSON-LD by `Accept`)
//! are the server's.

pub mod achievement;
pub mod credential;
pub mod issuer;
pub mod verify;

use serde::{Deserialize, Serialize};

pub use achievement::PublicAchievement;
pub use credential::PublicCredentialPage;
pub use issuer::PublicIssuer;
pub use verify::VerifyPage;

/// One line of a verification panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    /// `structure`, `signature`, `issuer`, `revocation`, `suspension`, `expiry`.
    pub key: String,
    /// `pass`, `fail`, `unknown`, `skip`.
    pub outcome: String,
    /// Words.
    pub detail: String,
}

/// A verification as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReportView {
    /// Checks.
    pub checks: Vec<CheckView>,
    /// All passed.
    pub valid: bool,
    /// Issuer's name.
    pub issuer_name: Option<String>,
    /// Achievement's name.
    pub achievement_name: Option<String>,
    /// Issuer's DID.
    pub issuer_id: Option<String>,
    /// Advice for old-shape credentials.
    pub advice: Option<String>,
    /// Baking rules the image breaks.
    pub baking: Vec<String>,
}

#[cfg(feature = "ssr")]
impl From<engine::verification::Report> for ReportView {
    fn from(r: engine::verification::Report) -> ReportView {
        ReportView {
            valid: r.valid,
            checks: r
                .checks
                .into_iter()
                .map(|c| CheckView {
                    key: c.key,
                    outcome: serde_json::to_value(c.outcome)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    detail: c.detail,
                })
                .collect(),
            issuer_name: r.issuer_name,
            achievement_name: r.achievement_name,
            issuer_id: r.issuer_id,
            advice: r.advice,
            baking: Vec::new(),
        }
    }
}

/// The title of a check, in the page's language.
pub fn check_title(key: &str) -> String {
    crate::language::t(match key {
        "structure" => "check-structure",
        "signature" => "check-signature",
        "issuer" => "check-issuer",
        "revocation" => "check-revocation",
        "suspension" => "check-suspension",
        "expiry" => "check-expiry",
        _ => "check-other",
    })
}

/// The verification panel.
#[leptos::component]
pub fn Checks(report: ReportView) -> impl leptos::IntoView {
    use crate::language::t;
    use leptos::prelude::*;
    let verdict = if report.valid {
        ("valid", t("verdict-valid"), t("verdict-valid-text"))
    } else {
        ("invalid", t("verdict-invalid"), t("verdict-invalid-text"))
    };
    view! {
        <section class=format!("verification verification-{}", verdict.0) aria-labelledby="verification-title" data-testid="verification" data-valid=report.valid.to_string()>
            <h2 id="verification-title"><span class="verdict-icon" aria-hidden="true">{if report.valid { "✓" } else { "✕" }}</span> {verdict.1}</h2>
            <p>{verdict.2}</p>
            <ul class="checks">
                {report.checks.iter().map(|c| {
                    let mark = match c.outcome.as_str() { "pass" => "✓", "fail" => "✕", "skip" => "–", _ => "?" };
                    let words = t(match c.outcome.as_str() { "pass" => "check-passed", "fail" => "check-failed", "skip" => "check-skipped", _ => "check-unknown" });
                    view! {
                        <li class=format!("check check-{}", c.outcome) data-check=c.key.clone() data-outcome=c.outcome.clone()>
                            <span class="check-mark" aria-hidden="true">{mark}</span>
                            <span><strong>{check_title(&c.key)}</strong><span class="visually-hidden">{format!(": {words}")}</span><br/><span class="muted small">{c.detail.clone()}</span></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {report.advice.clone().map(|a| view! { <p class="notice">{a}</p> })}
            {(!report.baking.is_empty()).then(|| view! {
                <div class="notice">
                    <strong>{t("check-baking")}</strong>
                    <ul>{report.baking.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
        </section>
    }
}
