//! What every request can reach on the server: the pool, the site's settings, caches.
//! Built once by the server process and provided to Leptos as context.

use crate::accounts::limits::Limits;
use crate::accounts::mail::Mailer;
use crate::catalog::cache::CatalogCache;
use crate::error::{AppError, AppResult};
use crate::money::Currency;
use crate::payments::Payments;
use crate::search::engine::SearchEngine;
use leptos::prelude::use_context;
use replica::Replica;
use sqlx::PgPool;
use std::sync::Arc;

pub mod replica;

/// Whether the marketplace is a demo (sample people, test payments) or runs for real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Demo accounts, the test payment provider's pay buttons, a ribbon on every page.
    Demo,
    /// None of that: the server refused to start with demo accounts or without payments.
    #[default]
    Production,
}

impl Mode {
    /// Whether shoppers may settle their own orders with the test provider's buttons.
    pub fn allows_test_payments(self) -> bool {
        self == Mode::Demo
    }
}

/// Settings pages need: fixed at start-up from the server's configuration.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    pub mode: Mode,
    /// Shown in titles and the header.
    pub name: String,
    /// Absolute base URL (no trailing slash) for canonical links, sitemaps and emails.
    pub public_url: String,
    pub currency: Currency,
    /// Where prices are estimated for before a shopper gives an address.
    pub country: String,
}

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// The same database through connections that plan each prepared statement once
    /// (`plan_cache_mode = force_generic_plan`), for hot statements whose best plan is the same
    /// whatever their values: placing an order. Everything else stays on `pool`, where
    /// PostgreSQL plans for the values at hand (a search for a rare word and for a common one
    /// want different plans).
    pub generic_plans: PgPool,
    pub site: Arc<SiteSettings>,
    /// Behind an `Arc`: the state is cloned several times a request, and the cache's many
    /// tables cost an atomic count each to clone.
    pub catalog: Arc<CatalogCache>,
    pub search: SearchEngine,
    pub mailer: Mailer,
    pub limits: Arc<Limits>,
    pub payments: Payments,
    /// The key two-factor secrets are sealed with (`SECRET_KEY`); a random one until the server
    /// sets it.
    pub secret_key: crate::accounts::sealed::SecretKey,
    /// Where uploaded images are stored (`<key>-<width>.jpg`); the media directory in
    /// production, memory until the server sets it.
    pub media: Arc<dyn object_store::ObjectStore>,
    /// Uploaded images being decoded and resized, a few at a time (two until the server
    /// sets its `IMAGE_DECODES`).
    pub renderer: crate::vendors::images::upload::Renderer,
    /// Visitors who viewed a product, noted until the next flush (`analytics::viewers`).
    pub viewers: crate::analytics::viewers::Viewers,
    /// A streaming replica for the storefront's reads, when the server was given one.
    pub replica: Option<Replica>,
}

impl AppState {
    pub fn new(
        pool: PgPool,
        site: SiteSettings,
        catalog: CatalogCache,
        search: SearchEngine,
        mailer: Mailer,
    ) -> Self {
        Self {
            generic_plans: generic_plans(&pool),
            limits: Arc::new(Limits::new(pool.clone())),
            pool,
            site: Arc::new(site),
            catalog: Arc::new(catalog),
            search,
            mailer,
            payments: Payments::default(),
            secret_key: crate::accounts::sealed::SecretKey::generate(),
            media: Arc::new(object_store::memory::InMemory::new()),
            renderer: crate::vendors::images::upload::Renderer::new(2),
            viewers: Default::default(),
            replica: None,
        }
    }

    /// Where the storefront's catalogue and search reads go: the replica while it keeps up,
    /// else the primary. Nothing that writes, or must see what it just wrote, reads here.
    pub fn reads(&self) -> &PgPool {
        self.replica
            .as_ref()
            .and_then(Replica::pool)
            .unwrap_or(&self.pool)
    }
}

/// A lazily connected pool beside `pool`, half its size, whose connections use generic plans.
fn generic_plans(pool: &PgPool) -> PgPool {
    let options = (*pool.connect_options())
        .clone()
        .options([("plan_cache_mode", "force_generic_plan")]);
    sqlx::postgres::PgPoolOptions::new()
        .max_connections((pool.options().get_max_connections() / 2).max(2))
        .acquire_timeout(pool.options().get_acquire_timeout())
        .connect_lazy_with(options)
}

/// The state provided to the current request, for server functions.
pub fn app_state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState is missing from the Leptos context");
        AppError::Internal
    })
}
