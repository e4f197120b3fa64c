//! The HTTP side: one `Router` with the Leptos app, server functions, health, metrics,
//! static assets and media, behind the middleware stack.

pub mod accounts;
mod assets;
pub mod client_ip;
mod early_search;
mod health;
mod metrics;
mod middleware;
mod page_cache;
mod page_forms;
pub(crate) mod reports;
mod seo;
pub mod site;
pub mod text;
mod uploads;
mod webhooks;

use crate::config::{AppEnv, Config};
use app::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::{MethodRouter, get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list, render_app_async_with_context};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use metrics::install_recorder;

/// The router's state: the app's state plus what only the HTTP layer needs.
#[derive(Clone)]
pub struct ServerState {
    pub app: AppState,
    pub leptos: LeptosOptions,
    pub http: Arc<HttpSettings>,
}

/// Settings of the HTTP layer, derived from `Config` once.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub media_dir: PathBuf,
    pub request_timeout: Duration,
    pub body_limit: usize,
    pub tls: bool,
    /// The service worker script with this build's asset list filled in.
    pub service_worker: String,
    pub metrics: metrics::MetricsAccess,
    /// Demo mode: the test provider's pay step is routed.
    pub demo: bool,
    /// Peers whose forwarding headers say who the client is (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Storefront pages kept for visitors without a session.
    pub pages: page_cache::PageCache,
}

impl HttpSettings {
    pub fn new(config: &Config, leptos: &LeptosOptions) -> anyhow::Result<Self> {
        Ok(Self {
            media_dir: config.media_dir(),
            request_timeout: config.request_timeout(),
            body_limit: config.request_body_limit,
            tls: config.serves_tls(),
            service_worker: assets::service_worker(leptos),
            metrics: match (config.metrics_token(), config.app_env) {
                (Some(token), _) => metrics::MetricsAccess::Token(token),
                (None, AppEnv::Demo) => metrics::MetricsAccess::Open,
                (None, AppEnv::Production) => metrics::MetricsAccess::Off,
            },
            demo: config.app_env == AppEnv::Demo,
            trusted_proxies: config.trusted_proxies()?,
            pages: page_cache::PageCache::new(config.page_cache_ttl()),
        })
    }
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

/// The whole application as an axum `Router`.
pub fn router(state: ServerState) -> Router {
    let routes = generate_route_list(app::App);
    let app_state = state.app.clone();
    let context = move || provide_context(app_state.clone());
    let shell = {
        let options = state.leptos.clone();
        move || app::shell(options.clone())
    };
    let settings = state.http.clone();
    // Files of `public/` (manifest, icons, offline page), and the app's 404 page for anything
    // else. Not leptos_axum's `file_and_error_handler`: for a file it creates a child of
    // whatever reactive owner the thread holds and applies *that* owner's `ResponseOptions`,
    // which under load took the headers (the page's CSP) of a page rendering concurrently.
    let not_found = render_app_async_with_context(context.clone(), shell.clone());
    #[cfg(not(feature = "embed-site"))]
    let fallback = assets::public_service(&state.leptos, not_found);
    #[cfg(feature = "embed-site")]
    let fallback = site::embedded::public_service(not_found);

    let router = handler_routes()
        .into_iter()
        .fold(Router::new(), |router, (path, handler)| {
            router.route(path, handler)
        })
        .leptos_routes_with_context(&state, routes, context.clone(), shell)
        .route_layer(axum::middleware::from_fn(metrics::track))
        .route_layer(axum::middleware::from_fn_with_state(settings.demo, demo_only))
        .fallback_service(fallback)
        .layer(axum::middleware::from_fn(metrics::track_unmatched))
        .with_state(state.clone());
    // Around the routes (not inside them: a form post becomes a GET before routing): sessions,
    // the same-origin check, form posts to pages, and the signed-in user.
    let site = accounts::SiteOrigin(state.app.site.public_url.clone().into());
    let pages = Router::new()
        .fallback_service(router)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            accounts::identify,
        ))
        .layer(axum::middleware::from_fn(page_forms::form_posts))
        .layer(axum::middleware::from_fn_with_state(site, accounts::same_origin))
        .layer(accounts::session_layer(&state.app.pool, settings.tls))
        // A page's search begins before its session is loaded (the results are everyone's).
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            early_search::begin,
        ))
        // Outside the session: a kept page is sent without loading a session or a user.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ));
    // The build's assets and media are the same for everyone: outside the account layers, so
    // a signed-in browser pays no session and user lookup for each script and picture.
    #[cfg(not(feature = "embed-site"))]
    let router = Router::new().nest_service("/pkg", assets::pkg_service(&state.leptos));
    #[cfg(feature = "embed-site")]
    let router = Router::new().route("/pkg/{file}", get(site::embedded::pkg));
    let router = router
        .nest_service("/media", assets::media_service(&settings.media_dir))
        .route("/webhooks/stripe", post(webhooks::stripe))
        .route_layer(axum::middleware::from_fn(metrics::track))
        .fallback_service(pages);
    middleware::apply(router, &settings).with_state(state)
}

/// Every route besides the app's pages and server functions, inside the account layers:
/// health, metrics, robots and sitemaps, the service worker, and the shops' file doors. The
/// authorization matrix checks that it covers each of them (`handler_paths`).
fn handler_routes() -> Vec<(&'static str, MethodRouter<ServerState>)> {
    // Each upload's body limit is its file's and the form's (`uploads::form::limit_for`
    // tells the body limit middleware the same before routing).
    let image = || DefaultBodyLimit::max(uploads::form::IMAGE.body());
    vec![
        ("/healthz", get(health::healthz)),
        ("/readyz", get(health::readyz)),
        ("/metrics", get(metrics::render)),
        ("/robots.txt", get(seo::robots)),
        ("/sitemap.xml", get(seo::sitemap_index)),
        ("/sitemaps/{file}", get(seo::sitemap_file)),
        ("/sw.js", get(assets::service_worker_script)),
        (
            "/vendor/{vendor}/upload/image/{product}",
            post(uploads::product_image).layer(image()),
        ),
        (
            "/vendor/{vendor}/upload/csv",
            post(uploads::import_csv).layer(DefaultBodyLimit::max(uploads::form::CSV.body())),
        ),
        (
            "/vendor/{vendor}/upload/logo",
            post(uploads::shop_logo).layer(image()),
        ),
        ("/vendor/{vendor}/export/products.csv", get(uploads::export_csv)),
        ("/admin/reports/{file}", get(reports::download)),
        (
            "/vendor/{vendor}/import/progress/{token}",
            get(uploads::import_progress),
        ),
    ]
}

/// The paths of the routes besides pages and server functions: those of `handler_routes`,
/// then the ones outside the account layers (webhooks, the build's assets, media).
pub fn handler_paths() -> Vec<&'static str> {
    let mut paths: Vec<&'static str> = handler_routes().into_iter().map(|(path, _)| path).collect();
    paths.extend(["/webhooks/stripe", "/pkg", "/media"]);
    paths
}

/// Server functions that exist only in demo mode: the test provider's pay step, where a
/// shopper decides whether their own payment succeeds.
const DEMO_ONLY: &[&str] = &["/api/checkout/pay_test"];

/// Answers 404 for `DEMO_ONLY` paths unless `demo`: in production they are not routed.
async fn demo_only(
    axum::extract::State(demo): axum::extract::State<bool>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !demo && DEMO_ONLY.contains(&request.uri().path()) {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    next.run(request).await
}
