//! Short-lived caches in front of the catalog reads every page makes.
//!
//! Entries live a few seconds; writes made through this process invalidate them at once, other
//! instances converge within the time to live. Checkout never trusts these numbers: stock is
//! decided by the database inside the order's transaction. Listings are keyed by the whole
//! query, so their caches are bounded in entries: a crawler walking every filter combination
//! evicts old entries rather than growing memory.

use super::model::{CategoryPage, HomePage, ProductPage, VendorPage};
use super::query::ListingQuery;
use super::tree::CategoryTree;
use crate::error::{AppError, AppResult};
use crate::search::model::{SearchPage, Suggestion};
use moka::future::Cache;
use sqlx::PgPool;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

const PRODUCTS_CACHED: u64 = 20_000;
const LISTINGS_CACHED: u64 = 2_000;
/// Prefixes repeat more than anything else shoppers send.
const SUGGESTIONS_CACHED: u64 = 20_000;

type ListingKey = (String, ListingQuery);

#[derive(Clone)]
pub struct CatalogCache {
    tree: Cache<(), Arc<CategoryTree>>,
    home: Cache<(), Arc<HomePage>>,
    products: Cache<String, Arc<ProductPage>>,
    categories: Cache<ListingKey, Arc<CategoryPage>>,
    vendors: Cache<ListingKey, Arc<VendorPage>>,
    vendor_names: Cache<(), Arc<HashMap<String, String>>>,
    searches: Cache<ListingQuery, Arc<SearchPage>>,
    suggestions: Cache<String, Arc<Vec<Suggestion>>>,
}

fn cache<K, V>(ttl: Duration, capacity: u64) -> Cache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    let capacity = if ttl.is_zero() { 0 } else { capacity };
    Cache::builder()
        .max_capacity(capacity)
        .time_to_live(ttl.max(Duration::from_millis(1)))
        .build()
}

/// Returns the cached value for `key`, or loads it once however many requests ask at once.
/// Errors are not cached.
async fn get<K, V, F>(cache: &Cache<K, Arc<V>>, key: K, load: F) -> AppResult<Arc<V>>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
    F: Future<Output = AppResult<V>>,
{
    // Boxed: page loads are large futures, and nesting them in the cache's own future
    // overflowed the stack of debug builds.
    cache
        .try_get_with(key, Box::pin(async { load.await.map(Arc::new) }))
        .await
        .map_err(|e| (*e).clone())
}

impl CatalogCache {
    /// A cache whose entries live `ttl`; zero disables caching (every read goes to the database).
    pub fn new(ttl: Duration) -> Self {
        Self {
            tree: cache(ttl, 1),
            home: cache(ttl, 1),
            products: cache(ttl, PRODUCTS_CACHED),
            categories: cache(ttl, LISTINGS_CACHED),
            vendors: cache(ttl, LISTINGS_CACHED),
            vendor_names: cache(ttl, 1),
            searches: cache(ttl, LISTINGS_CACHED),
            suggestions: cache(ttl, SUGGESTIONS_CACHED),
        }
    }

    /// The category tree.
    pub async fn tree(&self, pool: &PgPool) -> AppResult<Arc<CategoryTree>> {
        get(&self.tree, (), async {
            super::server::load_tree(pool).await.map_err(|e| {
                tracing::error!(error = %e, "loading the category tree failed");
                AppError::Internal
            })
        })
        .await
    }

    /// Names of approved vendors by slug (facet labels).
    pub async fn vendor_names(&self, pool: &PgPool) -> AppResult<Arc<HashMap<String, String>>> {
        get(&self.vendor_names, (), async {
            let rows = sqlx::query!("select slug, name from vendors where status = 'approved'")
                .fetch_all(pool)
                .await?;
            Ok(rows.into_iter().map(|r| (r.slug, r.name)).collect())
        })
        .await
    }

    pub async fn home(&self, load: impl Future<Output = AppResult<HomePage>>) -> AppResult<Arc<HomePage>> {
        get(&self.home, (), load).await
    }

    pub async fn product(
        &self,
        slug: &str,
        load: impl Future<Output = AppResult<ProductPage>>,
    ) -> AppResult<Arc<ProductPage>> {
        get(&self.products, slug.to_string(), load).await
    }

    pub async fn category(
        &self,
        slug: &str,
        query: &ListingQuery,
        load: impl Future<Output = AppResult<CategoryPage>>,
    ) -> AppResult<Arc<CategoryPage>> {
        get(&self.categories, (slug.to_string(), query.clone()), load).await
    }

    pub async fn vendor(
        &self,
        slug: &str,
        query: &ListingQuery,
        load: impl Future<Output = AppResult<VendorPage>>,
    ) -> AppResult<Arc<VendorPage>> {
        get(&self.vendors, (slug.to_string(), query.clone()), load).await
    }

    pub async fn search(
        &self,
        query: &ListingQuery,
        load: impl Future<Output = AppResult<SearchPage>>,
    ) -> AppResult<Arc<SearchPage>> {
        get(&self.searches, query.clone(), load).await
    }

    /// Suggestions for `text`, already trimmed and lower-cased by the caller.
    pub async fn suggestions(
        &self,
        text: &str,
        load: impl Future<Output = AppResult<Vec<Suggestion>>>,
    ) -> AppResult<Arc<Vec<Suggestion>>> {
        get(&self.suggestions, text.to_string(), load).await
    }

    /// Forget what a change to a product may have made stale here.
    pub async fn invalidate_product(&self, slug: &str) {
        self.products.invalidate(slug).await;
        self.invalidate_listings();
    }

    /// Forget every listing (home, categories, vendors).
    pub fn invalidate_listings(&self) {
        self.vendor_names.invalidate_all();
        self.searches.invalidate_all();
        self.suggestions.invalidate_all();
        self.home.invalidate_all();
        self.categories.invalidate_all();
        self.vendors.invalidate_all();
    }

    /// Forget the category tree after a category changed here.
    pub async fn invalidate_tree(&self) {
        self.tree.invalidate(&()).await;
        self.invalidate_listings();
    }
}
