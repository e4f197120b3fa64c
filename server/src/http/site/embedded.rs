//! The site's files (`target/site`, as cargo-leptos last built it) inside the binary.

use super::{Bundle, File, Files, IMMUTABLE, answer};
use axum::extract::{Path, Request};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::future::Future;
use std::sync::OnceLock;
use tower::Service;

#[derive(rust_embed::Embed)]
#[folder = "../target/site"]
struct Site;

/// The embedded files.
pub struct Embedded;

impl Files for Embedded {
    fn get(&self, path: &str) -> Option<File> {
        let file = Site::get(path)?;
        let tag = file.metadata.sha256_hash()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Some(File {
            mime: file.metadata.mimetype().to_string(),
            data: file.data,
            tag,
        })
    }

    fn paths(&self) -> Vec<String> {
        Site::iter().map(|p| p.into_owned()).collect()
    }
}

static BUNDLE: OnceLock<Bundle> = OnceLock::new();

/// The embedded bundle named `name` (Leptos's output name), found once. The hash file comes
/// from the site root, where `make build-release` copies it before embedding.
pub fn bundle(name: &str) -> anyhow::Result<&'static Bundle> {
    if let Some(found) = BUNDLE.get() {
        return Ok(found);
    }
    let hashes = Embedded
        .get("hash.txt")
        .map(|f| String::from_utf8_lossy(&f.data).into_owned());
    let found = Bundle::find(&Embedded, name, hashes.as_deref())?;
    Ok(BUNDLE.get_or_init(|| found))
}

/// `GET /pkg/{file}`: the bundle's WASM, JS and CSS by the names pages give them.
pub async fn pkg(Path(file): Path<String>, headers: HeaderMap) -> Response {
    BUNDLE
        .get()
        .and_then(|bundle| bundle.resolve(&file))
        .and_then(|real| answer(&Embedded, real, &headers, Some(IMMUTABLE)))
        .unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
}

/// The files of `public/` (manifest, icons, offline page), and `not_found` (the app's 404
/// page) for anything else, whatever the method.
pub fn public_service<F, Fut>(
    not_found: F,
) -> impl Service<Request, Response = Response, Error = Infallible, Future = impl Send + use<F, Fut>>
+ Clone
+ use<F, Fut>
where
    F: Fn(Request) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    tower::service_fn(move |request: Request| {
        let not_found = not_found.clone();
        async move {
            let path = request.uri().path().trim_start_matches('/');
            let servable = matches!(*request.method(), Method::GET | Method::HEAD)
                && !path.is_empty()
                && !path.starts_with("pkg/")
                && path != "hash.txt";
            if servable && let Some(found) = answer(&Embedded, path, request.headers(), None) {
                return Ok(found);
            }
            Ok(not_found(request).await)
        }
    })
}
