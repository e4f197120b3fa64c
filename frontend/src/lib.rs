//! The browser entry point: hydrate the islands of the server-rendered page. Nothing else.

// The islands are exported by the app crate; linking it is what puts them in the bundle.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The moment the page became interactive; the browser tests wait for it before clicking.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
