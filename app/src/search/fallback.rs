//! Meilisearch answered by PostgreSQL when it fails or is slow: each search waits for it at
//! most a set time, and after a failure the next few seconds of searches go straight to
//! PostgreSQL instead of each waiting again. Every fallback is counted in `/metrics`, and a
//! warning is logged at most once a minute, saying how many searches fell back since the last.

use std::fmt::Display;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The least time between two warnings.
const WARN_EVERY: Duration = Duration::from_secs(60);
/// How long searches skip Meilisearch after it failed: long enough that a server that hangs
/// costs one timeout every few seconds instead of one per search, short enough that it is
/// back in use moments after it recovers.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

pub struct Fallback {
    timeout: Duration,
    state: Mutex<State>,
    /// Fallbacks since the process started.
    total: AtomicU64,
}

#[derive(Default)]
struct State {
    /// When the last warning was logged.
    warned_at: Option<Instant>,
    /// Fallbacks not yet told of in a warning.
    untold: u64,
    /// Until when searches skip Meilisearch.
    skip_until: Option<Instant>,
}

impl Fallback {
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            state: Mutex::new(State::default()),
            total: AtomicU64::new(0),
        }
    }

    /// What `attempt` gives within the timeout, or `None` when it failed, took longer, or
    /// Meilisearch failed moments ago (then `attempt` is not run), for the caller to answer
    /// from PostgreSQL.
    pub async fn run<T, E: Display>(
        &self,
        operation: &'static str,
        attempt: impl Future<Output = Result<T, E>>,
    ) -> Option<T> {
        let (kind, reason) = if self.skipping() {
            ("skipped", "failed moments ago".to_string())
        } else {
            match tokio::time::timeout(self.timeout, attempt).await {
                Ok(Ok(answer)) => return Some(answer),
                Ok(Err(error)) => ("error", format!("failed: {error}")),
                Err(_) => (
                    "timeout",
                    format!("did not answer within {} ms", self.timeout.as_millis()),
                ),
            }
        };
        metrics::counter!("search_fallbacks_total", "operation" => operation, "reason" => kind).increment(1);
        self.total.fetch_add(1, Ordering::Relaxed);
        if let Some(count) = self.record(kind != "skipped", Instant::now()) {
            tracing::warn!(
                fallbacks = count,
                "Meilisearch {reason}; {operation} answered by PostgreSQL ({count} since the last warning)"
            );
        }
        None
    }

    /// Fallbacks since the process started.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Whether searches skip Meilisearch now, because it failed moments ago.
    pub fn skipping(&self) -> bool {
        self.state()
            .skip_until
            .is_some_and(|until| Instant::now() < until)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a fallback at `now` (a `failure` of Meilisearch starts a pause); returns how
    /// many there were when a warning is due.
    fn record(&self, failure: bool, now: Instant) -> Option<u64> {
        let mut state = self.state();
        if failure {
            state.skip_until = Some(now + RETRY_AFTER);
        }
        state.untold += 1;
        if state
            .warned_at
            .is_some_and(|at| now.duration_since(at) < WARN_EVERY)
        {
            return None;
        }
        let count = state.untold;
        state.warned_at = Some(now);
        state.untold = 0;
        Some(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_within_the_timeout_or_not_at_all() {
        let fallback = Fallback::new(Duration::from_millis(50));
        let quick = fallback.run("search", async { Ok::<_, String>(1) }).await;
        assert_eq!(quick, Some(1));
        let started = Instant::now();
        let slow = fallback
            .run("search", async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                Ok::<_, String>(1)
            })
            .await;
        assert_eq!(slow, None);
        assert!(started.elapsed() < Duration::from_millis(500));
        assert_eq!(fallback.total(), 1);
    }

    #[tokio::test]
    async fn after_a_failure_meilisearch_is_skipped_for_a_while() {
        let fallback = Fallback::new(Duration::from_millis(50));
        let failed = fallback.run("search", async { Err::<u8, _>("refused") }).await;
        assert_eq!(failed, None);
        assert!(fallback.skipping());
        let asked = std::sync::atomic::AtomicBool::new(false);
        let skipped = fallback
            .run("search", async {
                asked.store(true, Ordering::Relaxed);
                Ok::<_, String>(1)
            })
            .await;
        assert_eq!(skipped, None);
        assert!(!asked.load(Ordering::Relaxed), "not asked while paused");
        fallback.state().skip_until = Some(Instant::now());
        let back = fallback.run("search", async { Ok::<_, String>(2) }).await;
        assert_eq!(back, Some(2), "asked again once the pause is over");
        assert_eq!(fallback.total(), 2);
    }

    #[test]
    fn warns_once_a_minute_with_the_count() {
        let fallback = Fallback::new(Duration::from_millis(50));
        let start = Instant::now();
        assert_eq!(fallback.record(true, start), Some(1), "the first one warns");
        assert_eq!(fallback.record(false, start + Duration::from_secs(1)), None);
        assert_eq!(fallback.record(true, start + Duration::from_secs(59)), None);
        assert_eq!(
            fallback.record(true, start + WARN_EVERY),
            Some(3),
            "a minute later, with the two held back"
        );
    }
}
