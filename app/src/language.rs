//! The language a page is shown in and its texts. The server picks the language per request
//! (`server::public::language` puts it in the request's extensions); the browser reads it back
//! from `<html lang>`, so hydration renders the very same texts. The texts are the `locales`
//! crate's, shared with the e-mails.

use leptos::prelude::*;
pub use locales::{Arg, Lang};

/// The language of the page being rendered.
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(detect)
}

/// Makes the request's language the context of everything below (call once, in `App`).
pub fn provide_lang() {
    provide_context(detect());
}

fn detect() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Lang>().copied())
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|tag| Lang::parse(&tag))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// The text for `key` in the page's language.
pub fn t(key: &str) -> String {
    locales::t(lang(), key, &[])
}

/// The text for `key` in the page's language, or `fallback` when no language file has `key`
/// (for texts looked up by a name that comes from data, like an error's entity).
pub fn t_or(key: &str, fallback: &str) -> String {
    locales::lookup(lang(), key, &[]).unwrap_or_else(|| fallback.to_owned())
}

/// The text for `key` in the page's language, with arguments.
pub fn t_with(key: &str, args: &[(&str, Arg<'_>)]) -> String {
    locales::t(lang(), key, args)
}

/// A number formatted for the page's language (`12,345.5` / `12.345,5`).
pub fn number(n: f64) -> String {
    locales::number(lang(), n)
}

/// A UTC time's calendar date, as the page's language writes it.
#[cfg(feature = "ssr")]
pub fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    engine::i18n::date(lang(), at)
}

/// A UTC time's date and time of day, as the page's language writes it.
#[cfg(feature = "ssr")]
pub fn date_time(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike as _, Timelike as _};
    locales::date_time(
        lang(),
        (at.year(), at.month(), at.day()),
        at.hour(),
        at.minute(),
    )
}

/// Buttons that switch the page to another language and come back to the same address.
/// A plain form: it works before the WASM has loaded and with JavaScript off.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let here = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    let current = lang();
    view! {
        <form class="language-switcher" method="get" action="/lang" aria-label=t("lang-switcher")>
            <input type="hidden" name="next" value=here />
            {Lang::ALL
                .into_iter()
                .map(|l| {
                    let is_current = l == current;
                    view! {
                        <button
                            type="submit"
                            class="link"
                            name="to"
                            value=l.tag()
                            lang=l.tag()
                            aria-current=is_current.then_some("true")
                            disabled=is_current
                            data-testid=format!("lang-{}", l.tag())
                        >
                            {l.name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
