//! One kind of cached entry with stale-while-revalidate: fresh for the time to live, then
//! served stale for one more time to live while a background task reloads it.

use super::loads::{Loading, Loads};
use crate::error::AppResult;
use std::borrow::Borrow;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What an entry costs beyond its key and value (the cache's own bookkeeping), in bytes.
const ENTRY_OVERHEAD: usize = 256;

/// The length of `value` in JSON, counted without building the text.
fn json_len<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => usize::MAX / 2,
    }
}

/// A loaded value and when it was loaded.
struct Loaded<V> {
    value: Arc<V>,
    at: Instant,
}

impl<V> Clone for Loaded<V> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            at: self.at,
        }
    }
}

/// One kind of entry: fresh for `ttl`, then stale and reloaded by one request for another `ttl`.
pub(super) struct Entries<K, V> {
    loaded: moka::future::Cache<K, Loaded<V>>,
    /// Bumped by every invalidation: a reload that began before one keeps its result to itself.
    generation: Arc<AtomicU64>,
    /// Loads under way (of missing entries, and reloads of stale ones), each on a task of
    /// its own.
    loads: Loads<K, V>,
    ttl: Duration,
}

impl<K, V> Clone for Entries<K, V> {
    fn clone(&self) -> Self {
        Self {
            loaded: self.loaded.clone(),
            generation: self.generation.clone(),
            loads: self.loads.clone(),
            ttl: self.ttl,
        }
    }
}

impl<K, V> Entries<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// At most `capacity` entries (for kinds with one or a few entries).
    pub(super) fn new(ttl: Duration, capacity: u64) -> Self {
        let capacity = if ttl.is_zero() { 0 } else { capacity };
        Self::from_builder(moka::future::Cache::builder().max_capacity(capacity), ttl)
    }

    /// At most about `max_bytes` of entries, each weighed by the size of its key and value in
    /// JSON: entries keyed by what shoppers send (queries, slugs) are bounded by the memory
    /// they take, not by their number, however large each one is.
    pub(super) fn weighed(ttl: Duration, max_bytes: u64) -> Self
    where
        K: serde::Serialize,
        V: serde::Serialize,
    {
        let max_bytes = if ttl.is_zero() { 0 } else { max_bytes };
        let builder =
            moka::future::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|key: &K, entry: &Loaded<V>| {
                    let bytes = json_len(key) + json_len(&*entry.value) + ENTRY_OVERHEAD;
                    u32::try_from(bytes).unwrap_or(u32::MAX)
                });
        Self::from_builder(builder, ttl)
    }

    fn from_builder(
        builder: moka::future::CacheBuilder<K, Loaded<V>, moka::future::Cache<K, Loaded<V>>>,
        ttl: Duration,
    ) -> Self {
        Self {
            loaded: builder
                .time_to_live((ttl * 2).max(Duration::from_millis(1)))
                .build(),
            generation: Arc::default(),
            loads: Loads::default(),
            ttl,
        }
    }

    /// The value for `key`: fresh from the cache; stale from the cache, with a reload started
    /// in the background by the first request that finds it stale; or, when there is nothing
    /// to serve, loaded on a task of its own (once, however many requests ask at once) that
    /// every request for the key waits for (`Loads`). `load` makes
    /// the loading future and is called only when something is loaded. Errors are not cached:
    /// a failed reload leaves the stale value in place and the next request tries again.
    pub(super) async fn get<L, F>(&self, key: K, load: L) -> AppResult<Arc<V>>
    where
        L: FnOnce() -> F,
        F: Future<Output = AppResult<V>> + Send + 'static,
    {
        if let Some(entry) = self.loaded.get(&key).await {
            if entry.at.elapsed() >= self.ttl {
                self.reload(&key, load);
            }
            return Ok(entry.value);
        }
        self.loads
            .join_or_start(&key, || self.loading(key.clone(), load()))
            .await
    }

    /// Reloads a stale `key` on a task of its own unless a load of it is under way: no request
    /// waits for it, and a failure leaves the stale value in place.
    fn reload<L, F>(&self, key: &K, load: L)
    where
        L: FnOnce() -> F,
        F: Future<Output = AppResult<V>> + Send + 'static,
    {
        self.loads.start_unless_running(key, || {
            let loading = self.loading(key.clone(), load());
            async move {
                loading.await.inspect_err(|error| {
                    tracing::warn!(?error, "reloading a cache entry failed; serving it stale")
                })
            }
        });
    }

    /// `load`'s value, kept for `key` unless an invalidation came while it loaded: it may then
    /// predate the write.
    fn loading<F>(&self, key: K, load: F) -> Loading<V>
    where
        F: Future<Output = AppResult<V>> + Send + 'static,
    {
        let entries = self.clone();
        let generation = self.generation.load(Ordering::Acquire);
        Box::pin(async move {
            let value = Arc::new(load.await?);
            if entries.generation.load(Ordering::Acquire) == generation {
                let entry = Loaded {
                    value: value.clone(),
                    at: Instant::now(),
                };
                entries.loaded.insert(key, entry).await;
            }
            Ok(value)
        })
    }

    pub(super) async fn invalidate<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.loads.forget(key);
        self.loaded.invalidate(key).await;
    }

    pub(super) fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.loads.forget_all();
        self.loaded.invalidate_all();
    }
}

#[cfg(test)]
mod tests;
