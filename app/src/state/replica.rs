//! A streaming replica of the database for the storefront's reads (`DATABASE_REPLICA_URL`):
//! catalogue pages and search go to it while it keeps up, everything that writes or must read
//! its own writes stays on the primary. Every half second the watcher asks the replica whether
//! it has replayed the primary's WAL up to where the primary was at the previous look: a
//! replica that does not answer, or lags more than that, serves nothing until it catches up,
//! and its reads go to the primary meanwhile.

use sqlx::PgPool;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often the replica is looked at, and how long an answer may take.
const LOOK_EVERY: Duration = Duration::from_millis(500);
const ANSWER_WITHIN: Duration = Duration::from_secs(1);
/// How long a cache waits for the replica to replay a change before forgetting it again.
const CATCH_UP_WITHIN: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Replica {
    pool: PgPool,
    healthy: Arc<AtomicBool>,
}

impl Replica {
    /// The replica behind `pool`, unused until the watcher has seen it keep up.
    pub fn new(pool: PgPool) -> Self {
        Self {
            pool,
            healthy: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The replica's pool while it keeps up.
    pub fn pool(&self) -> Option<&PgPool> {
        self.healthy.load(Ordering::Acquire).then_some(&self.pool)
    }

    pub fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::Acquire)
    }

    /// Watches the replica against `primary` for as long as it runs.
    pub async fn watch(self, primary: PgPool) {
        let mut every = tokio::time::interval(LOOK_EVERY);
        let mut previous: Option<String> = None;
        loop {
            every.tick().await;
            let keeps_up = match &previous {
                Some(lsn) => self.replayed(lsn).await.unwrap_or(false),
                None => false,
            };
            if keeps_up != self.healthy.swap(keeps_up, Ordering::AcqRel) {
                if keeps_up {
                    tracing::info!("the read replica keeps up: storefront reads go to it");
                } else {
                    tracing::warn!("the read replica does not answer or lags: reads go to the primary");
                }
            }
            previous = primary_lsn(&primary).await;
        }
    }

    /// Whether the replica has replayed the primary's WAL up to `lsn`; None if it did not
    /// answer in time (or is not a replica).
    async fn replayed(&self, lsn: &str) -> Option<bool> {
        let asked = sqlx::query_scalar::<_, Option<bool>>("select pg_last_wal_replay_lsn() >= $1::pg_lsn")
            .bind(lsn)
            .fetch_one(&self.pool);
        tokio::time::timeout(ANSWER_WITHIN, asked).await.ok()?.ok()?
    }

    /// Waits (a little) until the replica has replayed what the primary has written so far:
    /// a cache that forgot a page because of a change forgets it again then, in case a read
    /// from the replica brought the old page back meanwhile. False if it did not in time.
    pub async fn catch_up(&self, primary: &PgPool) -> bool {
        let Some(lsn) = primary_lsn(primary).await else {
            return false;
        };
        let started = Instant::now();
        while started.elapsed() < CATCH_UP_WITHIN {
            if self.replayed(&lsn).await == Some(true) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }
}

/// Where the primary's WAL ends now.
async fn primary_lsn(primary: &PgPool) -> Option<String> {
    let asked = sqlx::query_scalar::<_, String>("select pg_current_wal_lsn()::text").fetch_one(primary);
    tokio::time::timeout(ANSWER_WITHIN, asked).await.ok()?.ok()
}
