//! Browser entry point: compiled to WebAssembly, it hydrates the server-rendered pages of the
//! `app` crate so they become interactive. It holds no logic of its own.

/// Called by the hydration script Leptos puts in every page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
