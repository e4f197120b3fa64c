//! Loads in flight, one per key: each runs on a task of its own, so it finishes, and every
//! request waiting for it gets its result, whatever becomes of the request that started it.
//! moka's `try_get_with` leaves its waiters to the first caller's future: when that future
//! stopped being polled without being dropped, every later request for the key waited on it.

use crate::error::{AppError, AppResult};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// A load's result once it is known.
type Outcome<V> = Option<Result<Arc<V>, Arc<AppError>>>;

/// A load as a task runs it: boxed, because page loads are large futures, and nesting them in
/// another future overflowed the stack of debug builds.
pub(super) type Loading<V> = std::pin::Pin<Box<dyn Future<Output = Result<Arc<V>, Arc<AppError>>> + Send>>;

pub(super) struct Loads<K, V> {
    /// The load each key's requests join.
    joinable: Arc<Mutex<HashMap<K, watch::Receiver<Outcome<V>>>>>,
    /// Tasks still running, those an invalidation took off the map included.
    running: Arc<AtomicUsize>,
}

impl<K, V> Clone for Loads<K, V> {
    fn clone(&self) -> Self {
        Self {
            joinable: self.joinable.clone(),
            running: self.running.clone(),
        }
    }
}

impl<K, V> Default for Loads<K, V> {
    fn default() -> Self {
        Self {
            joinable: Arc::default(),
            running: Arc::default(),
        }
    }
}

/// Takes a load off the map when its task ends, however it ends (a panic included), unless
/// an invalidation already did and another load took its place.
struct Finished<K: Hash + Eq, V> {
    loads: Loads<K, V>,
    key: K,
    mine: watch::Receiver<Outcome<V>>,
}

impl<K, V> Loads<K, V> {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, watch::Receiver<Outcome<V>>>> {
        self.joinable
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<K: Hash + Eq, V> Drop for Finished<K, V> {
    fn drop(&mut self) {
        self.loads.running.fetch_sub(1, Ordering::AcqRel);
        let mut loads = self.loads.lock();
        if loads.get(&self.key).is_some_and(|r| r.same_channel(&self.mine)) {
            loads.remove(&self.key);
        }
    }
}

impl<K, V> Loads<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// The value of the load of `key` under way, or of one `start` begins now on its own task.
    pub(super) async fn join_or_start<F>(&self, key: &K, start: impl FnOnce() -> F) -> AppResult<Arc<V>>
    where
        F: Future<Output = Result<Arc<V>, Arc<AppError>>> + Send + 'static,
    {
        let mut receiver = self.begin(key, start);
        let outcome = receiver
            .wait_for(Option::is_some)
            .await
            .ok()
            .and_then(|outcome| outcome.clone());
        match outcome {
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err((*error).clone()),
            // The task ended without a result: it panicked.
            None => Err(AppError::Internal),
        }
    }

    /// Begins a load of `key` with `start` on its own task unless one is under way, and waits
    /// for nothing (a background reload).
    pub(super) fn start_unless_running<F>(&self, key: &K, start: impl FnOnce() -> F)
    where
        F: Future<Output = Result<Arc<V>, Arc<AppError>>> + Send + 'static,
    {
        self.begin(key, start);
    }

    /// The load of `key` under way, or a new one `start` makes on its own task.
    fn begin<F>(&self, key: &K, start: impl FnOnce() -> F) -> watch::Receiver<Outcome<V>>
    where
        F: Future<Output = Result<Arc<V>, Arc<AppError>>> + Send + 'static,
    {
        let mut loads = self.lock();
        if let Some(receiver) = loads.get(key) {
            return receiver.clone();
        }
        let (sender, receiver) = watch::channel(None);
        loads.insert(key.clone(), receiver.clone());
        self.running.fetch_add(1, Ordering::AcqRel);
        let finished = Finished {
            loads: self.clone(),
            key: key.clone(),
            mine: receiver.clone(),
        };
        let load = start();
        tokio::spawn(async move {
            let _finished = finished;
            let _ = sender.send(Some(load.await));
        });
        receiver
    }

    /// Later requests for `key` start a load of their own instead of joining this one.
    pub(super) fn forget<Q>(&self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.lock().remove(key);
    }

    pub(super) fn forget_all(&self) {
        self.lock().clear();
    }

    /// Whether no load is under way, counting those an invalidation took off the map.
    #[cfg(test)]
    pub(super) fn is_idle(&self) -> bool {
        self.running.load(Ordering::Acquire) == 0
    }
}
