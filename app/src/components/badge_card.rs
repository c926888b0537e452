//! The one badge view: how an achievement (and, on a credential, its award) looks to earners.
//! The wizard's preview and the public pages render this same component from the same
//! [`BadgeView`], built on the server, so the preview is exactly what earners will see.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::language::t;

/// A result description, with what was achieved when shown on a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResultView {
    /// Name.
    pub name: String,
    /// Rubric level names, in order.
    pub levels: Vec<String>,
    /// The level or value achieved.
    pub achieved: Option<String>,
}

/// An alignment to a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AlignmentView {
    /// Target name.
    pub name: String,
    /// Target URL.
    pub url: String,
    /// Framework and code, as one line.
    pub detail: String,
}

/// A piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EvidenceView {
    /// URL.
    pub url: Option<String>,
    /// Narrative, rendered (safe) HTML.
    pub narrative_html: Option<String>,
}

/// Everything the badge view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BadgeView {
    /// Achievement name.
    pub name: String,
    /// Achievement description.
    pub description: String,
    /// Image URL.
    pub image: Option<String>,
    /// Image caption (alt text).
    pub image_alt: String,
    /// Achievement type in words.
    pub kind: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Criteria narrative, rendered (safe) HTML.
    pub criteria_html: Option<String>,
    /// Criteria URL.
    pub criteria_url: Option<String>,
    /// Alignments.
    pub alignments: Vec<AlignmentView>,
    /// Result descriptions.
    pub results: Vec<ResultView>,
    /// Human code, field of study, credits… as (label, value).
    pub facts: Vec<(String, String)>,
    /// Issuer name.
    pub issuer_name: String,
    /// Issuer's public page.
    pub issuer_href: String,
    /// Issuer logo.
    pub issuer_image: Option<String>,
    /// On a credential: the earner's name as awarded (unless hidden).
    pub recipient_name: Option<String>,
    /// On a credential: issue date in words.
    pub issued_on: Option<String>,
    /// On a credential: expiry date in words.
    pub expires_on: Option<String>,
    /// On a credential: evidence.
    pub evidence: Vec<EvidenceView>,
}

/// Initials for the medal shown when an achievement has no image.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

/// Renders a badge: artwork, name, issuer, description, criteria, alignments, results and,
/// for a credential, the earner, dates and evidence.
#[component]
pub fn BadgeCard(
    /// What to show.
    badge: BadgeView,
    /// Heading level of the badge name (2 on pages where the page title is the h1).
    #[prop(optional)]
    heading_level: u8,
) -> impl IntoView {
    let b = badge;
    let title = match heading_level {
        2 => view! { <h2 class="badge-name">{b.name.clone()}</h2> }.into_any(),
        _ => view! { <h1 class="badge-name">{b.name.clone()}</h1> }.into_any(),
    };
    let art = match b.image.clone() {
        Some(src) => view! { <img class="badge-art" src=src alt=b.image_alt.clone() width="192" height="192" /> }.into_any(),
        None => view! {
            <div class="badge-art badge-art-default" role="img" aria-label=b.image_alt.clone()>
                <span aria-hidden="true">{initials(&b.name)}</span>
            </div>
        }
        .into_any(),
    };
    view! {
        <article class="badge-card" data-testid="badge-card">
            <div class="badge-card-head">
                {art}
                <div class="badge-card-title">
                    {b.kind.clone().map(|k| view! { <p class="eyebrow">{k}</p> })}
                    {title}
                    <p class="badge-issuer-line">
                        {t("card-issued-by")}
                        <a href=b.issuer_href.clone() data-testid="badge-issuer">{b.issuer_name.clone()}</a>
                    </p>
                    {b.recipient_name.clone().map(|n| view! {
                        <p class="badge-recipient">{t("card-awarded-to")} <strong data-testid="badge-recipient">{n}</strong></p>
                    })}
                    {(b.issued_on.is_some() || b.expires_on.is_some()).then(|| view! {
                        <p class="badge-dates">
                            {b.issued_on.clone().map(|d| view! { <span>{t("card-issued")} {d}</span> })}
                            {b.expires_on.clone().map(|d| view! { <span>{t("card-expires")} {d}</span> })}
                        </p>
                    })}
                </div>
            </div>
            {(!b.description.is_empty()).then(|| view! { <p class="badge-description">{b.description.clone()}</p> })}
            {(!b.tags.is_empty()).then(|| view! {
                <ul class="tags" aria-label=t("card-tags")>
                    {b.tags.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
                </ul>
            })}
            {(b.criteria_html.is_some() || b.criteria_url.is_some()).then(|| view! {
                <section class="badge-section">
                    <h3>{t("card-criteria")}</h3>
                    {b.criteria_html.clone().map(|h| view! { <div class="prose" inner_html=h></div> })}
                    {b.criteria_url.clone().map(|u| view! { <p><a href=u.clone() rel="noopener">{t("card-full-criteria")}</a></p> })}
                </section>
            })}
            {(!b.results.is_empty()).then(|| view! {
                <section class="badge-section">
                    <h3>{t("card-results")}</h3>
                    <ul class="results">
                        {b.results.iter().map(|r| view! {
                            <li>
                                <strong>{r.name.clone()}</strong>
                                {r.achieved.clone().map(|a| view! { ": " <span class="achieved">{a}</span> })}
                                {(r.achieved.is_none() && !r.levels.is_empty()).then(|| view! {
                                    <ol class="levels">{r.levels.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ol>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!b.alignments.is_empty()).then(|| view! {
                <section class="badge-section">
                    <h3>{t("card-aligned")}</h3>
                    <ul class="alignments">
                        {b.alignments.iter().map(|a| view! {
                            <li><a href=a.url.clone() rel="noopener">{a.name.clone()}</a>
                                {(!a.detail.is_empty()).then(|| view! { <span class="muted">" · " {a.detail.clone()}</span> })}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!b.evidence.is_empty()).then(|| view! {
                <section class="badge-section">
                    <h3>{t("card-evidence")}</h3>
                    {b.evidence.iter().map(|e| view! {
                        <div class="evidence">
                            {e.narrative_html.clone().map(|h| view! { <div class="prose" inner_html=h></div> })}
                            {e.url.clone().map(|u| view! { <p><a href=u.clone() rel="noopener nofollow">{u.clone()}</a></p> })}
                        </div>
                    }).collect_view()}
                </section>
            })}
            {(!b.facts.is_empty()).then(|| view! {
                <dl class="facts">
                    {b.facts.iter().map(|(k, v)| view! { <div><dt>{k.clone()}</dt><dd>{v.clone()}</dd></div> }).collect_view()}
                </dl>
            })}
        </article>
    }
}

/// Building a [`BadgeView`] from engine data (server only).
#[cfg(feature = "ssr")]
pub mod build {
    use super::*;

    /// Words for an OB achievement type (`MicroCredential` → "Micro credential").
    pub fn type_label(kind: &str) -> String {
        let kind = kind.strip_prefix("ext:").unwrap_or(kind);
        let key = format!("type-{kind}");
        let known = t(&key);
        if known != key {
            return known;
        }
        let mut out = String::new();
        for (i, c) in kind.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push(' ');
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The achievement as earners see it (no award details).
    pub fn achievement(
        a: &engine::achievement::Achievement,
        issuer: &engine::issuer::Issuer,
        urls: &engine::public_url::PublicUrls,
    ) -> BadgeView {
        let f = &a.fields;
        let mut facts = Vec::new();
        if let Some(c) = &f.human_code {
            facts.push((t("fact-code"), c.clone()));
        }
        if let Some(c) = &f.field_of_study {
            facts.push((t("fact-field"), c.clone()));
        }
        if let Some(c) = &f.specialization {
            facts.push((t("fact-specialization"), c.clone()));
        }
        if let Some(c) = f.credits_available {
            facts.push((t("fact-credits"), crate::language::number(c)));
        }
        if let Some(d) = f.valid_for_days {
            facts.push((
                t("fact-valid-for"),
                crate::language::t_with("fact-valid-for-days", &[("days", i64::from(d).into())]),
            ));
        }
        if let Some(u) = f.valid_until {
            facts.push((t("fact-valid-until"), crate::language::date(u)));
        }
        BadgeView {
            name: f.name.clone(),
            description: f.description.clone(),
            // Drafts are not public, so their generated artwork is not served yet: the
            // preview carries it inline.
            image: match a.status {
                engine::achievement::Status::Draft => Some(
                    f.image
                        .clone()
                        .unwrap_or_else(|| engine::artwork::default_svg_data_url(a, &issuer.name)),
                ),
                _ => Some(urls.artwork(a.id, f.image.as_deref())),
            },
            image_alt: f.image_caption.clone().unwrap_or_else(|| {
                crate::language::t_with("card-image-alt", &[("achievement", (&f.name).into())])
            }),
            kind: f.achievement_type.as_deref().map(type_label),
            tags: f.tags.clone(),
            criteria_html: f
                .criteria_narrative
                .as_deref()
                .map(engine::markdown::render),
            criteria_url: f.criteria_url.clone(),
            alignments: f
                .alignments
                .iter()
                .map(|al| AlignmentView {
                    name: al.target_name.clone(),
                    url: al.target_url.clone(),
                    detail: [al.target_framework.clone(), al.target_code.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect(),
            results: f
                .result_descriptions
                .iter()
                .map(|rd| ResultView {
                    name: rd.name.clone(),
                    levels: rd.levels.iter().map(|l| l.name.clone()).collect(),
                    achieved: None,
                })
                .collect(),
            facts,
            issuer_name: issuer.name.clone(),
            issuer_href: urls.issuer(issuer.id),
            issuer_image: issuer.image.clone(),
            ..BadgeView::default()
        }
    }

    /// A credential as its public page shows it: the achievement plus what was awarded.
    pub fn credential(
        view: &engine::award::public::PublicCredential,
        urls: &engine::public_url::PublicUrls,
        details: &engine::signer::AwardDetails,
        date: impl Fn(chrono::DateTime<chrono::Utc>) -> String,
    ) -> BadgeView {
        let mut b = achievement(&view.achievement, &view.issuer, urls);
        b.recipient_name = view.shown_name().map(str::to_owned);
        b.issued_on = Some(date(view.issued_at));
        b.expires_on = view.valid_until.map(&date);
        for r in &details.results {
            if let (Some(rv), Some(rd)) = (
                b.results.get_mut(r.result_description),
                view.achievement
                    .fields
                    .result_descriptions
                    .get(r.result_description),
            ) {
                rv.achieved = r
                    .achieved_level
                    .and_then(|l| rd.levels.get(l).map(|l| l.name.clone()))
                    .or_else(|| r.value.clone());
            }
        }
        b.evidence = details
            .evidence
            .iter()
            .map(|e| EvidenceView {
                url: e.url.clone(),
                narrative_html: e.narrative.as_deref().map(engine::markdown::render),
            })
            .collect();
        b
    }
}
