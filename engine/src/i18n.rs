//! Translations for what the engine writes for people (e-mails), from the same Fluent
//! (`.ftl`) files under `locales/` that the app's pages use, so there is one set of texts and
//! one mechanism. `fluent-bundle` (Project Fluent's reference implementation) handles
//! arguments and plural rules.

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use serde::{Deserialize, Serialize};

/// A language Badge Engine is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Dutch.
    Nl,
}

impl Lang {
    /// Every language, in the switcher's order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// Parses a tag (`nl`, `nl-BE`, `en-GB` …); `None` for languages we do not have.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../../locales/en/main.ftl"),
            Lang::Nl => include_str!("../../locales/nl/main.ftl"),
        }
    }
}

fn bundles() -> &'static HashMap<Lang, FluentBundle<FluentResource>> {
    static BUNDLES: OnceLock<HashMap<Lang, FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| {
                let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(
                    |(partial, errors)| {
                        tracing::error!(lang = lang.tag(), ?errors, "translation file has errors");
                        partial
                    },
                );
                let id: unic_langid::LanguageIdentifier = lang.tag().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Unicode isolation marks around arguments confuse e-mail clients' plain text.
                bundle.set_use_isolating(false);
                if let Err(errors) = bundle.add_resource(resource) {
                    tracing::error!(
                        lang = lang.tag(),
                        ?errors,
                        "translation file has duplicate keys"
                    );
                }
                (lang, bundle)
            })
            .collect()
    })
}

/// The text for `key` in `lang` with `args`, falling back to English, then to the key.
pub fn t(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (k, v) in args {
        fluent_args.set(*k, *v);
    }
    for l in [lang, Lang::En] {
        let Some(bundle) = bundles().get(&l) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
    }
    key.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language() {
        let keys = |lang: Lang| -> Vec<String> {
            lang.source()
                .lines()
                .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
                .filter(|k| !k.starts_with('#') && !k.is_empty())
                .collect()
        };
        let en = keys(Lang::En);
        for lang in Lang::ALL {
            let other = keys(lang);
            for k in &en {
                assert!(other.contains(k), "{} lacks {k}", lang.tag());
            }
        }
    }

    #[test]
    fn arguments_are_filled_in() {
        assert_eq!(
            t(Lang::Nl, "email-award-subject", &[("achievement", "SQL")]),
            "Je hebt “SQL” behaald"
        );
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("fr"), None);
    }
}
