//! Languages of what the engine writes for people (e-mails): the texts and their lookup are
//! the `locales` crate's, shared with the pages; this adds the engine's own shapes.

use chrono::{DateTime, Datelike, Utc};
pub use locales::{COOKIE, Lang};

/// The text for `key` in `lang`, with string arguments.
pub fn t(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, locales::Arg<'_>)> = args
        .iter()
        .map(|(k, v)| (*k, locales::Arg::Str(v)))
        .collect();
    locales::t(lang, key, &args)
}

/// The calendar date of `at` (UTC) as `lang` writes it.
pub fn date(lang: Lang, at: DateTime<Utc>) -> String {
    locales::date(lang, at.year(), at.month(), at.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_texts_come_from_the_shared_files() {
        assert_eq!(
            t(Lang::Nl, "email-award-subject", &[("achievement", "SQL")]),
            "Je hebt “SQL” behaald"
        );
        let at = DateTime::parse_from_rfc3339("2026-03-01T23:59:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date(Lang::Nl, at), "1 maart 2026");
    }
}
