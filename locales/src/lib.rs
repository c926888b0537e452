//! Every text Badge Engine shows people, in every language it speaks, and how to look one up:
//! the pages (`app`, on the server and in the browser) and the e-mails (`engine`) read the same
//! Fluent (`.ftl`) files here through [`t`], so there is one set of texts and one mechanism.
//!
//! `fluent-bundle` (Project Fluent's reference implementation) does arguments and plural
//! rules; it is small enough for the browser bundle and does no I/O, so the texts are compiled
//! in. Numbers and dates are formatted here per language, without a locale database: two
//! languages need two separators and twelve month names each, which live in the `.ftl` files.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// Name of the cookie that keeps a visitor's choice of language.
pub const COOKIE: &str = "lang";

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

    /// The language's own name for itself, as the switcher shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
        }
    }

    /// Parses a tag (`nl`, `nl-BE`, `en-GB` …); `None` for languages we do not have.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The language for a request: the visitor's own choice (the [`COOKIE`]) first, then the
    /// best match in `Accept-Language` (RFC 9110 §12.5.4, by weight, first wins a tie), then
    /// English. Only the first 2 KiB and 32 entries of the header are read.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = cookie.and_then(Lang::parse) {
            return lang;
        }
        let Some(header) = accept_language else {
            return Lang::default();
        };
        let header = &header[..header.floor_char_boundary(2048)];
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',').take(32) {
            let mut parts = item.split(';');
            let range = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if !(q > 0.0 && q <= 1.0) {
                continue;
            }
            if let Some(lang) = Lang::parse(range)
                && best.is_none_or(|(_, b)| q > b)
            {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l).unwrap_or_default()
    }

    fn sources(self) -> &'static [&'static str] {
        match self {
            Lang::En => &[
                include_str!("../en/main.ftl"),
                include_str!("../en/pages.ftl"),
                include_str!("../en/earner.ftl"),
                include_str!("../en/admin.ftl"),
            ],
            Lang::Nl => &[
                include_str!("../nl/main.ftl"),
                include_str!("../nl/pages.ftl"),
                include_str!("../nl/earner.ftl"),
                include_str!("../nl/admin.ftl"),
            ],
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Lang::En => (',', '.'),
            Lang::Nl => ('.', ','),
        }
    }
}

/// A value filled into a text: a string as it is, or a number (formatted for the language,
/// and what plural variants choose on).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// Text, inserted unchanged.
    Str(&'a str),
    /// A number.
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(s)
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg::Num(n as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f64);

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<Lang, Bundle> {
    static BUNDLES: OnceLock<HashMap<Lang, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| Lang::ALL.into_iter().map(|l| (l, bundle(l))).collect())
}

fn bundle(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks around arguments end up in e-mail subjects, plain-text mail and
    // `title` attributes, where they show as stray characters.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match lang {
        Lang::En => format_en,
        Lang::Nl => format_nl,
    }));
    for source in lang.sources() {
        // A broken file still yields the messages it could parse; the unit tests below fail
        // on any error, so a release never ships one.
        let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, _)| r);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

fn format_en<M>(value: &FluentValue, _: &M) -> Option<String> {
    format_value(Lang::En, value)
}

fn format_nl<M>(value: &FluentValue, _: &M) -> Option<String> {
    format_value(Lang::Nl, value)
}

fn format_value(lang: Lang, value: &FluentValue) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(number(lang, n.value)),
        _ => None,
    }
}

/// The text for `key` in `lang` with `args`, falling back to English, then to the key itself
/// (so a missing text shows up as its key, never as nothing).
pub fn t(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    lookup(lang, key, args).unwrap_or_else(|| key.to_owned())
}

/// The text for `key` in `lang` (or English) with `args`; `None` when no file has `key` —
/// for keys built from data, whose caller has a better fallback than the key.
pub fn lookup(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Str(s) => fluent_args.set(*name, FluentValue::String(Cow::Borrowed(s))),
            Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    for l in [lang, Lang::En] {
        let Some(bundle) = bundles().get(&l) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return Some(
                bundle
                    .format_pattern(pattern, Some(&fluent_args), &mut errors)
                    .into_owned(),
            );
        }
    }
    None
}

/// `n` with the language's digit grouping and decimal separator (`12,345.5` / `12.345,5`);
/// at most two decimals, none for whole numbers.
pub fn number(lang: Lang, n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let (group, decimal) = lang.separators();
    let rounded = (n.abs() * 100.0).round() / 100.0;
    let whole = rounded.trunc() as u64;
    let cents = ((rounded - rounded.trunc()) * 100.0).round() as u64;
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    if n < 0.0 && rounded > 0.0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    if cents > 0 {
        out.push(decimal);
        if cents.is_multiple_of(10) {
            out.push_str(&(cents / 10).to_string());
        } else {
            out.push_str(&format!("{cents:02}"));
        }
    }
    out
}

/// A calendar date the way the language writes it in running text (`3 December 2026`,
/// `3 december 2026`). `month` is 1–12.
pub fn date(lang: Lang, year: i32, month: u32, day: u32) -> String {
    let month_name = t(lang, &format!("month-{}", month.clamp(1, 12)), &[]);
    t(
        lang,
        "date-long",
        &[
            ("day", Arg::Str(&day.to_string())),
            ("month", Arg::Str(&month_name)),
            ("year", Arg::Str(&year.to_string())),
        ],
    )
}

/// A date and a time of day (24-hour clock, UTC).
pub fn date_time(
    lang: Lang,
    (year, month, day): (i32, u32, u32),
    hour: u32,
    minute: u32,
) -> String {
    t(
        lang,
        "date-time",
        &[
            ("date", Arg::Str(&date(lang, year, month, day))),
            ("time", Arg::Str(&format!("{hour:02}:{minute:02}"))),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: Lang) -> Vec<String> {
        let mut keys = Vec::new();
        for source in lang.sources() {
            let resource = match fluent_syntax::parser::parse(*source) {
                Ok(r) => r,
                Err((_, errors)) => panic!("{}: {errors:?}", lang.tag()),
            };
            for entry in resource.body {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    keys.push(m.id.name.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn every_file_parses_and_every_key_exists_in_every_language() {
        let en = keys(Lang::En);
        for lang in Lang::ALL {
            let other = keys(lang);
            let mut seen = std::collections::HashSet::new();
            for k in &other {
                assert!(seen.insert(k), "{} defines {k} twice", lang.tag());
            }
            for k in &en {
                assert!(other.contains(k), "{} lacks {k}", lang.tag());
            }
            for k in &other {
                assert!(
                    en.contains(k),
                    "{} has {k}, which English lacks",
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn arguments_plurals_and_numbers_are_filled_in() {
        assert_eq!(
            t(
                Lang::Nl,
                "email-award-subject",
                &[("achievement", "SQL".into())]
            ),
            "Je hebt “SQL” behaald"
        );
        assert_eq!(number(Lang::En, 1234567.0), "1,234,567");
        assert_eq!(number(Lang::Nl, 1234567.0), "1.234.567");
        assert_eq!(number(Lang::Nl, 12.5), "12,5");
        assert_eq!(number(Lang::En, -0.25), "-0.25");
        assert_eq!(number(Lang::En, 999.0), "999");
        assert_eq!(date(Lang::En, 2026, 12, 3), "3 December 2026");
        assert_eq!(date(Lang::Nl, 2026, 3, 1), "1 maart 2026");
        assert_eq!(
            t(Lang::En, "ach-awarded-times", &[("count", 1.into())]),
            "Awarded once"
        );
        assert_eq!(
            t(Lang::Nl, "ach-awarded-times", &[("count", 12345.into())]),
            "12.345 keer toegekend"
        );
    }

    #[test]
    fn unknown_keys_show_as_themselves() {
        assert_eq!(t(Lang::Nl, "no-such-text", &[]), "no-such-text");
    }

    #[test]
    fn the_cookie_wins_then_the_weightiest_accepted_language() {
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::negotiate(None, None), Lang::En);
        assert_eq!(
            Lang::negotiate(None, Some("nl-NL,nl;q=0.9,en;q=0.8")),
            Lang::Nl
        );
        assert_eq!(
            Lang::negotiate(None, Some("fr, en;q=0.5, nl;q=0.7")),
            Lang::Nl
        );
        assert_eq!(Lang::negotiate(None, Some("de, fr")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("nl;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::negotiate(Some("en"), Some("nl")), Lang::En);
        assert_eq!(Lang::negotiate(Some("xx"), Some("nl")), Lang::Nl);
        let huge = "fr,".repeat(10_000) + "nl";
        assert_eq!(Lang::negotiate(None, Some(&huge)), Lang::En);
    }
}
