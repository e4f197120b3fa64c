//! The site's files from `LEPTOS_SITE_ROOT` on disk, as debug builds serve them (a binary built
//! with `embed-site` serves its own, `http::site`).

use super::immutable;
use axum::extract::Request;
use axum::http::HeaderValue;
use leptos::prelude::LeptosOptions;
use std::convert::Infallible;
use std::path::Path;
use tower::Service;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;

/// `/pkg`: JS, WASM and CSS with content hashes in their names (from disk; a binary built
/// with `embed-site` serves its own, `http::site`).
pub fn pkg_service(options: &LeptosOptions) -> SetResponseHeader<ServeDir, HeaderValue> {
    let dir = Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    immutable(ServeDir::new(dir).precompressed_br().precompressed_gzip())
}

/// The site root (the files of `public/`), falling back to `not_found` (the app's 404 page)
/// for anything that is not a file there, whatever the method.
pub fn public_service<F, Fut>(
    options: &LeptosOptions,
    not_found: F,
) -> ServeDir<
    impl Service<
        Request,
        Response = axum::response::Response,
        Error = Infallible,
        Future = impl Send + use<F, Fut>,
    > + Clone
    + use<F, Fut>,
>
where
    F: Fn(Request) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = axum::response::Response> + Send + 'static,
{
    let not_found = tower::service_fn(move |request: Request| {
        let response = not_found(request);
        async move { Ok::<_, Infallible>(response.await) }
    });
    ServeDir::new(&*options.site_root)
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found)
}
