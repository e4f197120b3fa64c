//! Short-lived caches in front of the catalog reads every page makes.
//!
//! An entry is fresh for the time to live; for one more time to live it is stale: the first
//! request that finds it so starts a background reload, and every request, that one included,
//! is answered from the stale copy meanwhile, so no request waits for the database to refresh
//! a page that is cached (stale-while-revalidate). Loaders are passed as closures that make
//! an owned future, called only when something is loaded. Writes invalidate here at once and
//! on every other instance through the change feed (`catalog::changes`). Checkout
//! never trusts these numbers: stock is decided by the database inside the order's
//! transaction. Listings are keyed by the whole query, so their caches are bounded by the bytes
//! their entries take: a crawler walking every filter combination, or a client sending the
//! largest queries it may, evicts old entries rather than growing memory.

use super::changes::{self, Change};
use super::model::{CategoryPage, HomePage, ProductCard, ProductPage, VendorPage};
use super::query::ListingQuery;
use super::tree::CategoryTree;
use crate::error::AppResult;
use crate::search::model::{SearchPage, Suggestion};
use crate::search::request::{Filters, RawFacets};
use cards::Cards;
use entries::Entries;
use sqlx::PgPool;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

mod cards;
mod entries;
mod loads;

const MB: u64 = 1024 * 1024;
/// Bytes of product pages kept (about 5,000 pages of 12 KB).
const PRODUCTS_CACHED: u64 = 64 * MB;
/// Bytes of each kind of listing kept (about 2,000 pages of 16 KB).
const LISTINGS_CACHED: u64 = 32 * MB;
/// Prefixes repeat more than anything else shoppers send (about 20,000 lists of 800 bytes).
const SUGGESTIONS_CACHED: u64 = 16 * MB;
/// Facet counts kept for the next pages of a listing (each a few kilobytes).
const FACET_COUNTS_CACHED: u64 = 10_000;

type ListingKey = (String, ListingQuery);

/// Reads the category tree (`catalog::server::tree_loader`), given by whoever builds the cache:
/// the cache knows no queries, and nothing it holds needs `AppState`.
pub type TreeLoader = fn(PgPool) -> Pin<Box<dyn Future<Output = AppResult<CategoryTree>> + Send>>;

#[derive(Clone)]
pub struct CatalogCache {
    load_tree: TreeLoader,
    tree: Entries<(), CategoryTree>,
    home: Entries<(), HomePage>,
    products: Entries<String, ProductPage>,
    categories: Entries<ListingKey, CategoryPage>,
    vendors: Entries<ListingKey, VendorPage>,
    vendor_names: Entries<(), HashMap<String, String>>,
    searches: Entries<ListingQuery, SearchPage>,
    /// Cards of the products listings show, whatever page listed them.
    cards: Cards,
    suggestions: Entries<String, Vec<Suggestion>>,
    /// A listing's facet counts by its filters, so its other pages (and sort orders) ask the
    /// engine for their page only; none when search results are not cached.
    facet_counts: Option<moka::future::Cache<Filters, Arc<RawFacets>>>,
    /// Where changes are announced to the other instances; none for a lone cache (tests).
    feed: Option<PgPool>,
    /// The replica pages may be read from: a change is forgotten again once it has replayed it.
    replica: Option<crate::state::replica::Replica>,
    /// Moves on whenever something is forgotten: what was made from the cache before (the
    /// rendered pages the server keeps) is stale once it moved.
    generation: Arc<std::sync::atomic::AtomicU64>,
}

fn facet_counts(ttl: Duration) -> Option<moka::future::Cache<Filters, Arc<RawFacets>>> {
    (!ttl.is_zero()).then(|| {
        moka::future::Cache::builder()
            .max_capacity(FACET_COUNTS_CACHED)
            .time_to_live(ttl)
            .build()
    })
}

impl CatalogCache {
    /// A cache whose entries are fresh for `ttl`; zero disables caching (every read goes to the database).
    pub fn new(ttl: Duration, load_tree: TreeLoader) -> Self {
        let generation = Arc::default();
        Self {
            load_tree,
            tree: Entries::new(ttl, 1),
            home: Entries::new(ttl, 1),
            products: Entries::weighed(ttl, PRODUCTS_CACHED),
            categories: Entries::weighed(ttl, LISTINGS_CACHED),
            vendors: Entries::weighed(ttl, LISTINGS_CACHED),
            vendor_names: Entries::new(ttl, 1),
            searches: Entries::weighed(ttl, LISTINGS_CACHED),
            suggestions: Entries::weighed(ttl, SUGGESTIONS_CACHED),
            cards: Cards::new(ttl, Arc::clone(&generation)),
            facet_counts: facet_counts(ttl),
            feed: None,
            replica: None,
            generation,
        }
    }

    /// Announces this cache's invalidations to every instance on `pool`'s database (run
    /// `changes::follow` to hear theirs).
    pub fn with_change_feed(self, pool: PgPool) -> Self {
        Self {
            feed: Some(pool),
            ..self
        }
    }

    /// Pages are read from `replica` while it keeps up.
    pub fn with_replica(self, replica: crate::state::replica::Replica) -> Self {
        Self {
            replica: Some(replica),
            ..self
        }
    }

    /// Search results and suggestions fresh for `ttl` instead (zero: not cached).
    pub fn with_search_ttl(self, ttl: Duration) -> Self {
        Self {
            searches: Entries::weighed(ttl, LISTINGS_CACHED),
            suggestions: Entries::weighed(ttl, SUGGESTIONS_CACHED),
            facet_counts: facet_counts(ttl),
            ..self
        }
    }

    /// The category tree.
    pub async fn tree(&self, pool: &PgPool) -> AppResult<Arc<CategoryTree>> {
        self.tree.get((), || (self.load_tree)(pool.clone())).await
    }

    /// Names of approved vendors by slug (facet labels).
    pub async fn vendor_names(&self, pool: &PgPool) -> AppResult<Arc<HashMap<String, String>>> {
        self.vendor_names
            .get((), || {
                let pool = pool.clone();
                async move {
                    let rows = sqlx::query!("select slug, name from vendors where status = 'approved'")
                        .fetch_all(&pool)
                        .await?;
                    Ok(rows.into_iter().map(|r| (r.slug, r.name)).collect())
                }
            })
            .await
    }

    pub async fn home<F>(&self, load: impl FnOnce() -> F) -> AppResult<Arc<HomePage>>
    where
        F: Future<Output = AppResult<HomePage>> + Send + 'static,
    {
        self.home.get((), load).await
    }

    pub async fn product<F>(&self, slug: &str, load: impl FnOnce() -> F) -> AppResult<Arc<ProductPage>>
    where
        F: Future<Output = AppResult<ProductPage>> + Send + 'static,
    {
        self.products.get(slug.to_string(), load).await
    }

    pub async fn category<F>(
        &self,
        slug: &str,
        query: &ListingQuery,
        load: impl FnOnce() -> F,
    ) -> AppResult<Arc<CategoryPage>>
    where
        F: Future<Output = AppResult<CategoryPage>> + Send + 'static,
    {
        self.categories.get((slug.to_string(), query.clone()), load).await
    }

    pub async fn vendor<F>(
        &self,
        slug: &str,
        query: &ListingQuery,
        load: impl FnOnce() -> F,
    ) -> AppResult<Arc<VendorPage>>
    where
        F: Future<Output = AppResult<VendorPage>> + Send + 'static,
    {
        self.vendors.get((slug.to_string(), query.clone()), load).await
    }

    pub async fn search<F>(
        &self,
        query: &ListingQuery,
        load: impl FnOnce() -> F,
    ) -> AppResult<Arc<SearchPage>>
    where
        F: Future<Output = AppResult<SearchPage>> + Send + 'static,
    {
        self.searches.get(query.clone(), load).await
    }

    /// Suggestions for `text`, already trimmed and lower-cased by the caller.
    pub async fn suggestions<F>(
        &self,
        text: &str,
        load: impl FnOnce() -> F,
    ) -> AppResult<Arc<Vec<Suggestion>>>
    where
        F: Future<Output = AppResult<Vec<Suggestion>>> + Send + 'static,
    {
        self.suggestions.get(text.to_string(), load).await
    }

    /// The cards of `ids` in their order; `load` reads those not kept (`catalog::cards`).
    pub async fn cards<F, Fut, E>(&self, ids: &[Uuid], load: F) -> Result<Vec<ProductCard>, E>
    where
        F: FnOnce(Vec<Uuid>) -> Fut,
        Fut: Future<Output = Result<Vec<(Uuid, ProductCard)>, E>>,
    {
        self.cards.get(ids, load).await
    }

    /// Facet counts an earlier page of a listing with these filters got, if still fresh.
    pub async fn facet_counts(&self, filters: &Filters) -> Option<Arc<RawFacets>> {
        self.facet_counts.as_ref()?.get(filters).await
    }

    /// Keeps a listing's facet counts for its other pages.
    pub async fn keep_facet_counts(&self, filters: Filters, counts: Arc<RawFacets>) {
        if let Some(cache) = &self.facet_counts {
            cache.insert(filters, counts).await;
        }
    }

    /// Forget what a change to a product may have made stale, here and on every instance.
    pub async fn invalidate_product(&self, slug: &str) {
        self.changed(Change::Product(slug.to_string())).await;
    }

    /// Forget every listing (home, categories, vendors), here and on every instance.
    pub async fn invalidate_listings(&self) {
        self.changed(Change::Listings).await;
    }

    /// Forget the category tree after a category changed, here and on every instance.
    pub async fn invalidate_tree(&self) {
        self.changed(Change::Tree).await;
    }

    async fn changed(&self, change: Change) {
        self.apply(&change).await;
        if let Some(pool) = &self.feed {
            changes::announce(pool, &change).await;
        }
    }

    /// Follows the changes every instance announces (`changes::follow`), for as long as it runs.
    pub async fn follow_changes(self: Arc<Self>, pool: PgPool) {
        changes::follow(pool, |change| {
            let cache = self.clone();
            async move { cache.apply(&change).await }
        })
        .await;
    }

    /// Forgets what `change` made stale, here only. With a replica, forgets it once more when
    /// the replica has replayed the change: a page read from it in between may be the old one.
    pub async fn apply(&self, change: &Change) {
        self.forget(change).await;
        if let (Some(replica), Some(primary)) = (&self.replica, &self.feed) {
            let (cache, replica, primary, change) =
                (self.clone(), replica.clone(), primary.clone(), change.clone());
            tokio::spawn(async move {
                // Forgotten again even when it did not catch up in time: a later read may be newer.
                replica.catch_up(&primary).await;
                cache.forget(&change).await;
            });
        }
    }

    /// How many times something was forgotten (see `generation`).
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    async fn forget(&self, change: &Change) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        match change {
            Change::Product(slug) => self.products.invalidate(slug.as_str()).await,
            Change::Listings => {}
            Change::Tree => self.tree.invalidate(&()).await,
            Change::Everything => {
                self.products.invalidate_all();
                self.tree.invalidate_all();
            }
        }
        self.cards.forget_all();
        self.vendor_names.invalidate_all();
        self.searches.invalidate_all();
        self.suggestions.invalidate_all();
        self.home.invalidate_all();
        self.categories.invalidate_all();
        self.vendors.invalidate_all();
        if let Some(counts) = &self.facet_counts {
            counts.invalidate_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CatalogCache;
    use crate::catalog::model::HomePage;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn a_search_ttl_of_zero_leaves_the_rest_of_the_catalog_cached() {
        let no_tree: super::TreeLoader = |_| Box::pin(async { Err(crate::error::AppError::Internal) });
        let cache = CatalogCache::new(Duration::from_secs(30), no_tree).with_search_ttl(Duration::ZERO);
        let (homes, searches) = (AtomicU32::new(0), AtomicU32::new(0));
        for _ in 0..3 {
            cache
                .home(|| {
                    homes.fetch_add(1, Ordering::SeqCst);
                    async {
                        Ok(HomePage {
                            featured: Vec::new(),
                            new_arrivals: Vec::new(),
                            top_rated: Vec::new(),
                        })
                    }
                })
                .await
                .unwrap();
            cache
                .suggestions("he", || {
                    searches.fetch_add(1, Ordering::SeqCst);
                    async { Ok(Vec::new()) }
                })
                .await
                .unwrap();
        }
        assert_eq!(homes.load(Ordering::SeqCst), 1, "the home page stays cached");
        assert_eq!(
            searches.load(Ordering::SeqCst),
            3,
            "every suggestion request is loaded"
        );
    }
}
