//! One kind of cached entry with stale-while-revalidate: fresh for the time to live, then
//! served stale for one more time to live while a background task reloads it.

use crate::error::{AppError, AppResult};
use std::borrow::Borrow;
use std::collections::HashSet;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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
    /// Keys being reloaded by some request.
    reloading: Arc<Mutex<HashSet<K>>>,
    /// Bumped by every invalidation: a reload that began before one keeps its result to itself.
    generation: Arc<AtomicU64>,
    ttl: Duration,
}

impl<K, V> Clone for Entries<K, V> {
    fn clone(&self) -> Self {
        Self {
            loaded: self.loaded.clone(),
            reloading: self.reloading.clone(),
            generation: self.generation.clone(),
            ttl: self.ttl,
        }
    }
}

/// Takes a key off the reloading set when the reload ends, however it ends.
struct Reloading<'a, K: Hash + Eq> {
    keys: &'a Mutex<HashSet<K>>,
    key: K,
}

impl<K: Hash + Eq> Drop for Reloading<'_, K> {
    fn drop(&mut self) {
        self.keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&self.key);
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
            reloading: Arc::default(),
            generation: Arc::default(),
            ttl,
        }
    }

    /// The value for `key`: fresh from the cache; stale from the cache, with a reload started
    /// in the background by the first request that finds it stale; or loaded by this request
    /// (once, however many requests ask at once) when there is nothing to serve. `load` makes
    /// the loading future and is called only when something is loaded. Errors are not cached:
    /// a failed reload leaves the stale value in place and the next request tries again.
    pub(super) async fn get<L, F>(&self, key: K, load: L) -> AppResult<Arc<V>>
    where
        L: FnOnce() -> F,
        F: Future<Output = AppResult<V>> + Send + 'static,
    {
        if let Some(entry) = self.loaded.get(&key).await {
            if entry.at.elapsed() >= self.ttl && self.claim(&key) {
                self.reload(key, load());
            }
            return Ok(entry.value);
        }
        let load = load();
        // Boxed: page loads are large futures, and nesting them in the cache's own future
        // overflowed the stack of debug builds.
        self.loaded
            .try_get_with(
                key,
                Box::pin(async {
                    let value = Arc::new(load.await?);
                    Ok(Loaded {
                        value,
                        at: Instant::now(),
                    })
                }),
            )
            .await
            .map(|entry| entry.value)
            .map_err(|e: Arc<AppError>| (*e).clone())
    }

    /// Reloads `key`, claimed by this request, on a task of its own: no request waits for it.
    /// An invalidation after the claim means the reload may have read data older than the
    /// write, so its result is then dropped.
    fn reload<F>(&self, key: K, load: F)
    where
        F: Future<Output = AppResult<V>> + Send + 'static,
    {
        let entries = self.clone();
        let generation = self.generation.load(Ordering::Acquire);
        tokio::spawn(async move {
            // Released however the reload ends, a panic included.
            let _reloading = Reloading {
                keys: &entries.reloading,
                key: key.clone(),
            };
            match load.await {
                Ok(value) if entries.generation.load(Ordering::Acquire) == generation => {
                    let entry = Loaded {
                        value: Arc::new(value),
                        at: Instant::now(),
                    };
                    entries.loaded.insert(key, entry).await;
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(?error, "reloading a cache entry failed; serving it stale");
                }
            }
        });
    }

    /// Whether this request is the one to reload `key` (no other is already).
    fn claim(&self, key: &K) -> bool {
        self.reloading
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(key.clone())
    }

    pub(super) async fn invalidate<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.loaded.invalidate(key).await;
    }

    pub(super) fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.loaded.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::Entries;
    use crate::error::{AppError, AppResult};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;
    use tokio::sync::oneshot;

    const TTL: Duration = Duration::from_millis(300);

    async fn value(n: u32) -> AppResult<u32> {
        Ok(n)
    }

    /// Waits for the background reload under way to end.
    async fn reloaded(entries: &Entries<(), u32>) {
        tokio::time::timeout(Duration::from_secs(5), async {
            while !entries.reloading.lock().unwrap().is_empty() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
        .await
        .expect("the reload ends");
    }

    #[tokio::test]
    async fn weighed_entries_are_bounded_by_their_bytes_not_their_number() {
        let entries: Entries<String, String> = Entries::weighed(Duration::from_secs(60), 20_000);
        for n in 0..100 {
            let big = "x".repeat(1_000 + n);
            entries
                .get(format!("key-{n}"), || async { Ok(big) })
                .await
                .unwrap();
        }
        entries.loaded.run_pending_tasks().await;
        assert!(
            entries.loaded.weighted_size() <= 20_000,
            "{}",
            entries.loaded.weighted_size()
        );
        assert!(
            entries.loaded.entry_count() < 20,
            "{}",
            entries.loaded.entry_count()
        );
        let huge = "y".repeat(100_000);
        entries
            .get("huge".to_string(), || async { Ok(huge) })
            .await
            .unwrap();
        entries.loaded.run_pending_tasks().await;
        assert!(
            entries.loaded.weighted_size() <= 20_000,
            "an entry over the budget is not kept"
        );
    }

    #[tokio::test]
    async fn a_stale_entry_is_served_to_everyone_while_one_task_reloads_it() {
        let entries: Entries<(), u32> = Entries::new(TTL, 1);
        assert_eq!(*entries.get((), || value(1)).await.unwrap(), 1);
        assert_eq!(
            *entries.get((), || value(2)).await.unwrap(),
            1,
            "fresh: not loaded again"
        );
        tokio::time::sleep(TTL + Duration::from_millis(20)).await;

        let (release, released) = oneshot::channel::<()>();
        let first = entries.get((), move || async move {
            released.await.ok();
            Ok(3)
        });
        let first = tokio::time::timeout(Duration::from_secs(1), first)
            .await
            .expect("answered before the reload ends")
            .unwrap();
        assert_eq!(*first, 1, "the request that finds it stale does not wait either");
        assert!(
            !entries.reloading.lock().unwrap().is_empty(),
            "a reload is under way"
        );
        let loads = Arc::new(AtomicU32::new(0));
        let others = entries
            .get((), || {
                let loads = loads.clone();
                async move {
                    loads.fetch_add(1, Ordering::SeqCst);
                    Ok(4)
                }
            })
            .await
            .unwrap();
        assert_eq!(*others, 1, "others get the stale value too");
        assert_eq!(loads.load(Ordering::SeqCst), 0, "only one reload");

        release.send(()).unwrap();
        reloaded(&entries).await;
        assert_eq!(
            *entries.get((), || value(5)).await.unwrap(),
            3,
            "the reloaded value is fresh"
        );
    }

    #[tokio::test]
    async fn past_twice_the_ttl_an_entry_is_loaded_before_answering() {
        let entries: Entries<(), u32> = Entries::new(TTL, 1);
        entries.get((), || value(1)).await.unwrap();
        tokio::time::sleep(TTL * 2 + Duration::from_millis(50)).await;
        assert_eq!(*entries.get((), || value(2)).await.unwrap(), 2);
    }

    #[tokio::test]
    async fn a_reload_begun_before_an_invalidation_is_not_kept() {
        let entries: Entries<(), u32> = Entries::new(TTL, 1);
        entries.get((), || value(1)).await.unwrap();
        tokio::time::sleep(TTL + Duration::from_millis(20)).await;
        let (release, released) = oneshot::channel::<()>();
        let stale = entries
            .get((), move || async move {
                released.await.ok();
                Ok(2)
            })
            .await
            .unwrap();
        assert_eq!(*stale, 1);
        // A write lands while the reload reads the old data.
        entries.invalidate_all();
        release.send(()).unwrap();
        reloaded(&entries).await;
        assert_eq!(
            *entries.get((), || value(3)).await.unwrap(),
            3,
            "what the reload read is not kept"
        );
    }

    #[tokio::test]
    async fn a_failed_reload_keeps_serving_and_retries() {
        let entries: Entries<(), u32> = Entries::new(TTL, 1);
        entries.get((), || value(1)).await.unwrap();
        tokio::time::sleep(TTL + Duration::from_millis(20)).await;
        let failed = entries.get((), || async { Err(AppError::Internal) }).await;
        assert_eq!(*failed.unwrap(), 1, "the stale value rather than the error");
        reloaded(&entries).await;
        assert_eq!(
            *entries.get((), || value(2)).await.unwrap(),
            1,
            "still stale: this request starts the reload again"
        );
        reloaded(&entries).await;
        assert_eq!(
            *entries.get((), || value(3)).await.unwrap(),
            2,
            "and its value is kept"
        );
    }

    #[tokio::test]
    async fn a_reload_that_panics_releases_its_claim() {
        let entries: Entries<(), u32> = Entries::new(TTL, 1);
        entries.get((), || value(1)).await.unwrap();
        tokio::time::sleep(TTL + Duration::from_millis(20)).await;
        let stale = entries
            .get((), || async { panic!("a loader bug") })
            .await
            .unwrap();
        assert_eq!(*stale, 1);
        reloaded(&entries).await;
        entries.get((), || value(2)).await.unwrap();
        reloaded(&entries).await;
        assert_eq!(*entries.get((), || value(3)).await.unwrap(), 2);
    }
}
