//! Short-lived caches in front of the hottest catalog reads.
//!
//! The product page and the category tree are read on nearly every request and change rarely.
//! Entries live a few seconds; writes made through this process invalidate them at once, other
//! instances converge within the time to live. Checkout never trusts these numbers: stock is
//! decided by the database inside the order's transaction.

use super::model::ProductPage;
use super::tree::CategoryTree;
use crate::error::{AppError, AppResult};
use moka::future::Cache;
use sqlx::PgPool;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct CatalogCache {
    tree: Cache<(), Arc<CategoryTree>>,
    products: Cache<String, Arc<ProductPage>>,
}

impl CatalogCache {
    /// A cache whose entries live `ttl`; zero disables caching (every read goes to the database).
    pub fn new(ttl: Duration) -> Self {
        let capacity = if ttl.is_zero() { 0 } else { 10_000 };
        Self {
            tree: Cache::builder()
                .max_capacity(1)
                .time_to_live(ttl.max(Duration::from_millis(1)))
                .build(),
            products: Cache::builder()
                .max_capacity(capacity)
                .time_to_live(ttl.max(Duration::from_millis(1)))
                .build(),
        }
    }

    /// The category tree, loaded once per time to live however many requests ask at once.
    pub async fn tree(&self, pool: &PgPool) -> AppResult<Arc<CategoryTree>> {
        self.tree
            .try_get_with((), async { super::server::load_tree(pool).await.map(Arc::new) })
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "loading the category tree failed");
                AppError::Internal
            })
    }

    /// A product page, loaded by `load` when not cached. Concurrent misses share one load.
    pub async fn product<F>(&self, slug: &str, load: impl FnOnce() -> F) -> AppResult<Arc<ProductPage>>
    where
        F: Future<Output = AppResult<ProductPage>>,
    {
        self.products
            .try_get_with(slug.to_string(), async { load().await.map(Arc::new) })
            .await
            .map_err(|e| (*e).clone())
    }

    /// Forget a product after it changed here.
    pub async fn invalidate_product(&self, slug: &str) {
        self.products.invalidate(slug).await;
    }

    /// Forget the category tree after a category changed here.
    pub async fn invalidate_tree(&self) {
        self.tree.invalidate(&()).await;
    }
}
