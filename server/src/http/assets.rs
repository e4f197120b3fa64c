//! Static files: the hashed build output (`/pkg`, cached for a year), media (`/media`,
//! immutable keys) and the service worker, generated with this build's asset names.

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use leptos::prelude::LeptosOptions;
use std::path::Path;
use tower::Layer;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

use super::ServerState;

#[cfg(not(feature = "embed-site"))]
mod disk;
#[cfg(not(feature = "embed-site"))]
pub use disk::{pkg_service, public_service};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn immutable(dir: ServeDir) -> SetResponseHeader<ServeDir, HeaderValue> {
    SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)).layer(dir)
}

/// `/media`: product images and their renditions; a changed image gets a new key.
pub fn media_service(dir: &Path) -> SetResponseHeader<ServeDir, HeaderValue> {
    immutable(ServeDir::new(dir))
}

/// The names of this build's JS, WASM and CSS files under `/pkg`.
pub fn pkg_files(options: &LeptosOptions) -> [String; 3] {
    let name = &*options.output_name;
    let mut hashes = std::collections::HashMap::new();
    if options.hash_files {
        let hash_file = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
        if let Some(text) = hash_file.and_then(|path| std::fs::read_to_string(path).ok()) {
            for line in text.lines() {
                if let Some((kind, hash)) = line.split_once(':') {
                    hashes.insert(kind.trim().to_string(), hash.trim().to_string());
                }
            }
        }
    }
    let file = |kind: &str, fallback_suffix: &str| match hashes.get(kind) {
        Some(hash) => format!("{name}.{hash}.{kind}"),
        None => format!("{name}{fallback_suffix}.{kind}"),
    };
    let pkg = &*options.site_pkg_dir;
    [
        format!("/{pkg}/{}", file("js", "")),
        // As Leptos names it: `_bg` only when no output name was set at compile time.
        format!(
            "/{pkg}/{}",
            file(
                "wasm",
                if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
                    "_bg"
                } else {
                    ""
                }
            )
        ),
        format!("/{pkg}/{}", file("css", "")),
    ]
}

/// The service worker source with the app shell's URLs and a version derived from them.
pub fn service_worker(options: &LeptosOptions) -> String {
    let mut precache: Vec<String> = pkg_files(options).into();
    precache.extend(
        [
            "/offline.html",
            "/manifest.webmanifest",
            "/icons/icon.svg",
            "/icons/icon-192.png",
            "/favicon.ico",
        ]
        .map(String::from),
    );
    let version = {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        precache.hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    };
    include_str!("sw.js").replace("__VERSION__", &version).replace(
        "__PRECACHE__",
        &serde_json::to_string(&precache).unwrap_or_else(|_| "[]".into()),
    )
}

/// `GET /sw.js`: never cached by HTTP, so a new deployment's worker is seen at once.
pub async fn service_worker_script(State(state): State<ServerState>) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "no-cache"),
        ],
        state.http.service_worker.clone(),
    )
}
