//! The frame around every page: header with navigation, main content, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::language::{LanguageSwitcher, t};

/// Header, navigation and footer around `children`.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Effects run only in the browser, so this flips once the WASM has hydrated the page;
    // browser tests wait for it instead of sleeping.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let (menu_open, set_menu_open) = signal(false);
    let viewer = Resource::new(|| (), |_| crate::auth::current_viewer());

    view! {
        <div class="page" data-hydrated=move || hydrated.get().to_string()>
            <a class="skip-link" href="#main">{t("nav-skip")}</a>
            <header class="site-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    <span>"Badge Engine"</span>
                </a>
                <button
                    class="menu-toggle"
                    type="button"
                    aria-controls="site-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                >
                    <span class="visually-hidden">{t("nav-menu")}</span>
                    <span aria-hidden="true">"☰"</span>
                </button>
                <nav id="site-nav" class="site-nav" class:open=move || menu_open.get() aria-label=t("nav-main")>
                    <A href="/" exact=true>{t("nav-home")}</A>
                    <a href="/#how-it-works">{t("nav-how")}</a>
                    <A href="/verify">{t("nav-verify")}</A>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            match viewer.await {
                                Ok(Some(v)) => view! {
                                    // Only those who may see administration get the link; the server checks anyway.
                                    <A href="/me/badges" attr:data-testid="nav-my-badges">{t("nav-my-badges")}</A>
                                    {v.has("view_admin").then(|| view! { <a href="/admin" data-testid="nav-admin">{t("nav-admin")}</a> })}
                                    <span class="nav-user" data-testid="nav-user">{v.display_name.clone()}</span>
                                    <form class="nav-signout" method="post" action="/auth/logout">
                                        <button type="submit" class="link" data-testid="sign-out">{t("nav-sign-out")}</button>
                                    </form>
                                    <form class="nav-signout" method="post" action="/auth/logout-everywhere">
                                        <button type="submit" class="link" data-testid="sign-out-everywhere" title=t("nav-sign-out-everywhere-hint")>{t("nav-sign-out-everywhere")}</button>
                                    </form>
                                }.into_any(),
                                _ => view! {
                                    <a href="/sign-in" data-testid="sign-in">{t("nav-sign-in")}</a>
                                }.into_any(),
                            }
                        })}
                    </Transition>
                </nav>
            </header>
            <main id="main" class="content">{children()}</main>
            <footer class="site-footer">
                <p>
                    {t("footer-before")}
                    <a href="https://www.imsglobal.org/spec/ob/v3p0/">"Open Badges 3.0"</a>
                    {t("footer-after")}
                </p>
                <LanguageSwitcher />
            </footer>
        </div>
    }
}
